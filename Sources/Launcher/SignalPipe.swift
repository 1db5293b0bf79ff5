#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private var signalWriteFD: Int32 = -1

/// Turns SIGTERM and SIGINT into a readable pipe, so a poll loop can notice them (the self-pipe trick).
final class SignalPipe {
    let readFD: Int32

    init() throws(LauncherError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LauncherError("pipe: \(String(cString: strerror(errno)))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        signalWriteFD = fds[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var b: UInt8 = 1
            _ = write(signalWriteFD, &b, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Whether a signal has arrived (consumes the pipe's bytes).
    var fired: Bool {
        var buf = [UInt8](repeating: 0, count: 16)
        return read(readFD, &buf, buf.count) > 0
    }
}
