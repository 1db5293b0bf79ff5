// recio-raw-proxy: a plain libzmq XSUB/XPUB proxy, the baseline `recio bench bus` compares the broker with.
//
// Usage: recio-raw-proxy FRONTEND BACKEND [HWM]      (HWM in messages, 0 = unbounded; default 1000)
// Prints "ready" once both endpoints are bound. Stops cleanly on SIGTERM, SIGINT or SIGHUP.
//
// How it stops: the signals are blocked in every thread (the mask is set before zmq_ctx_new, so libzmq's I/O
// threads inherit it) and one watcher thread takes them with sigwait(). No signal handler runs, so there is nothing
// async-signal-unsafe to worry about: the watcher, an ordinary thread, sends TERMINATE on the control socket of
// zmq_proxy_steerable, which then returns; main closes the sockets and terminates the context.
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <zmq.h>

#define CONTROL "inproc://raw-proxy-control"

static sigset_t stop_signals;

static void *watch(void *ctx) {
    void *control = zmq_socket(ctx, ZMQ_PAIR);
    int linger = 0;
    zmq_setsockopt(control, ZMQ_LINGER, &linger, sizeof linger);
    zmq_connect(control, CONTROL);
    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0) {}
    zmq_send(control, "TERMINATE", 9, 0);
    zmq_close(control);
    return NULL;
}

static int set_int(void *socket, int option, int value) {
    return zmq_setsockopt(socket, option, &value, sizeof value);
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s FRONTEND BACKEND [HWM]\n", argv[0]);
        return 2;
    }
    int hwm = argc > 3 ? atoi(argv[3]) : 1000;

    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

    void *ctx = zmq_ctx_new();
    void *front = zmq_socket(ctx, ZMQ_XSUB);
    void *back = zmq_socket(ctx, ZMQ_XPUB);
    void *control = zmq_socket(ctx, ZMQ_PAIR);
    if (!ctx || !front || !back || !control) {
        fprintf(stderr, "cannot create sockets: %s\n", zmq_strerror(zmq_errno()));
        return 1;
    }
    set_int(front, ZMQ_RCVHWM, hwm);
    set_int(front, ZMQ_SNDHWM, hwm);
    set_int(back, ZMQ_RCVHWM, hwm);
    set_int(back, ZMQ_SNDHWM, hwm);
    set_int(front, ZMQ_LINGER, 0);
    set_int(back, ZMQ_LINGER, 1000);  // a subscriber that went away must not hold up exit
    set_int(control, ZMQ_LINGER, 0);
    if (zmq_bind(front, argv[1]) != 0 || zmq_bind(back, argv[2]) != 0 || zmq_bind(control, CONTROL) != 0) {
        fprintf(stderr, "bind failed: %s\n", zmq_strerror(zmq_errno()));
        return 1;
    }
    pthread_t watcher;
    if (pthread_create(&watcher, NULL, watch, ctx) != 0) {
        fprintf(stderr, "cannot start the signal watcher\n");
        return 1;
    }
    printf("ready\n");
    fflush(stdout);

    int rc = zmq_proxy_steerable(front, back, NULL, control);
    int status = 0;
    if (rc != 0) {
        // The proxy failed on its own: report, then wake the watcher so it can finish.
        fprintf(stderr, "proxy stopped: %s\n", zmq_strerror(zmq_errno()));
        status = 1;
        pthread_kill(watcher, SIGTERM);
    }
    pthread_join(watcher, NULL);
    zmq_close(front);
    zmq_close(back);
    zmq_close(control);
    while (zmq_ctx_term(ctx) != 0 && zmq_errno() == EINTR) {}
    return status;
}
