/* The TCP side of a connection: a non-blocking connect bounded by the deadline, and waiting on a socket. */
#include "jc_net_int.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Waits until fd is ready for events or deadline: 1 ready, 0 deadline, -1 error. */
int jc_wait_fd(int fd, short events, int64_t deadline) {
    for (;;) {
        int64_t left = deadline - jc_now_ms();
        if (left <= 0) return 0;
        struct pollfd p = {fd, events, 0};
        int r = poll(&p, 1, left > 60000 ? 60000 : (int) left);
        if (r > 0) return 1;
        if (r < 0 && errno != EINTR) return -1;
    }
}

int jc_tcp_connect(const jc_addr *a, const char *hsm, int64_t deadline, char *why, size_t n) {
    char port[8];
    snprintf(port, sizeof port, "%d", a->port);
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int g = getaddrinfo(a->host, port, &hints, &res);
    if (g != 0) {
        snprintf(why, n, "HSM %s: unknown host (check hsms in JHSM_CONF: %s)", hsm, gai_strerror(g));
        return -1;
    }
    int fd = -1, last = 0;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) { last = errno; continue; }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
            last = errno;
        } else {
            int r = jc_wait_fd(fd, POLLOUT, deadline);
            socklen_t sl = sizeof last;
            last = 0;
            if (r <= 0) last = r == 0 ? ETIMEDOUT : errno;
            else getsockopt(fd, SOL_SOCKET, SO_ERROR, &last, &sl);
        }
        if (last) { close(fd); fd = -1; }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        if (last == ETIMEDOUT) {
            snprintf(why, n, "HSM %s: no answer within connect-timeout-ms: the HSM is down, unreachable or not speaking "
                     "TLS on that port", hsm);
        } else {
            snprintf(why, n, "HSM %s: connection refused (is jhsm hsm serve running there? %s)", hsm, strerror(last));
        }
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}
