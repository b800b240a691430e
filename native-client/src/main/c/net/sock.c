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
#include <openssl/bio.h>

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

/*
 * Writes go through send(MSG_NOSIGNAL): a write to an HSM that closed the connection must be an error, not SIGPIPE
 * (which would kill a host that keeps the default action). OpenSSL's socket BIO uses write(2).
 */
static int nosig_write(BIO *b, const char *buf, int len) {
    int fd = (int) (intptr_t) BIO_get_data(b);
    ssize_t n = send(fd, buf, (size_t) len, MSG_NOSIGNAL);
    BIO_clear_retry_flags(b);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_write(b);
    return (int) n;
}

static long nosig_ctrl(BIO *b, int cmd, long num, void *ptr) {
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static BIO_METHOD *nosig;
static pthread_once_t nosig_once = PTHREAD_ONCE_INIT;

static void make_nosig(void) {
    nosig = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "jhsm send(MSG_NOSIGNAL)");
    BIO_meth_set_write(nosig, nosig_write);
    BIO_meth_set_ctrl(nosig, nosig_ctrl);
}

void jc_tls_use_socket(SSL *ssl, int fd) {
    pthread_once(&nosig_once, make_nosig);
    BIO *w = BIO_new(nosig);
    BIO_set_data(w, (void *) (intptr_t) fd);
    BIO_set_init(w, 1);
    SSL_set_bio(ssl, BIO_new_socket(fd, BIO_NOCLOSE), w);
}
