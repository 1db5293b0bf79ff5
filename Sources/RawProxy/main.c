// recio-raw-proxy: a plain libzmq XSUB/XPUB proxy, the baseline for `recio bench bus`.
// Usage: recio-raw-proxy FRONTEND BACKEND [HWM]
// Stops cleanly on SIGTERM/SIGINT: the handler only sets a flag; a watcher thread sends TERMINATE on the
// steerable proxy's control socket.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zmq.h>

static volatile sig_atomic_t stop_requested = 0;
static void on_signal(int sig) { (void)sig; stop_requested = 1; }

static void *watch(void *ctx) {
    void *control = zmq_socket(ctx, ZMQ_PAIR);
    zmq_connect(control, "inproc://raw-proxy-control");
    while (!stop_requested) usleep(20000);
    zmq_send(control, "TERMINATE", 9, 0);
    zmq_close(control);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s FRONTEND BACKEND [HWM]\n", argv[0]);
        return 2;
    }
    int hwm = argc > 3 ? atoi(argv[3]) : 1000;
    void *ctx = zmq_ctx_new();
    void *front = zmq_socket(ctx, ZMQ_XSUB);
    void *back = zmq_socket(ctx, ZMQ_XPUB);
    void *control = zmq_socket(ctx, ZMQ_PAIR);
    zmq_setsockopt(front, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(back, ZMQ_SNDHWM, &hwm, sizeof hwm);
    if (zmq_bind(front, argv[1]) != 0 || zmq_bind(back, argv[2]) != 0) {
        fprintf(stderr, "bind failed: %s\n", zmq_strerror(zmq_errno()));
        return 1;
    }
    zmq_bind(control, "inproc://raw-proxy-control");
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    pthread_t watcher;
    pthread_create(&watcher, NULL, watch, ctx);
    printf("ready\n");
    fflush(stdout);
    zmq_proxy_steerable(front, back, NULL, control);
    pthread_join(watcher, NULL);
    zmq_close(front);
    zmq_close(back);
    zmq_close(control);
    zmq_ctx_term(ctx);
    return 0;
}
