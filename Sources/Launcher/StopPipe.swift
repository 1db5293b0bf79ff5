#if canImport(Glibc)
import Glibc
#endif

/// The write end the signal handler uses; a handler cannot capture context, so it lives here.
nonisolated(unsafe) private var signalWriteFD: Int32 = -1

/// A self-pipe that wakes the launcher's poll loop when it must stop: from another thread through
/// ``requestStop()``, or from SIGTERM, SIGINT and SIGHUP once ``forwardSignals()`` was called.
final class StopPipe: Sendable {
    /// Readable once a stop was requested.
    let readFD: Int32
    private let writeFD: Int32

    init() throws(LauncherError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LauncherError("pipe: \(String(cString: strerror(errno)))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        if signalWriteFD == writeFD { signalWriteFD = -1 }
        close(readFD)
        close(writeFD)
    }

    /// Asks the loop to stop. Safe from any thread.
    func requestStop() {
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    /// Turns SIGTERM, SIGINT and SIGHUP into stop requests, and ignores SIGPIPE.
    func forwardSignals() {
        signalWriteFD = writeFD
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var b: UInt8 = 1
            _ = write(signalWriteFD, &b, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        for s in [SIGTERM, SIGINT, SIGHUP] { sigaction(s, &action, nil) }
        signal(SIGPIPE, SIG_IGN)
    }

    /// Whether a stop was requested (the request stays pending).
    var requested: Bool {
        var fd = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, 0) > 0
    }
}
