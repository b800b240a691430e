/*
 * One connection to one HSM: TCP + TLS 1.3 + HTTP/2 (nghttp2 does the framing, we do the socket I/O), and
 * gRPC unary calls as HTTP/2 streams on it. The node treats the connection as one PKCS#11 application.
 *
 * Threads: calls from many threads multiplex on the connection (leader/follower). Under the lock a caller
 * submits its stream and writes it out; the caller that finds no reader becomes the reader: it polls the
 * socket without the lock, then reads and feeds nghttp2 under it and wakes the owners of finished streams.
 * A thread calling alone never hands off to another thread. Every wait is bounded by the caller's deadline.
 */
#include "jc_net_int.h"

#include <errno.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <nghttp2/nghttp2.h>
#include <openssl/err.h>

#include "h2stream.h"

static uint64_t next_epoch;

struct jc_conn {
    pthread_mutex_t mu;
    pthread_cond_t cv;       /* a stream finished, the reader left, or the connection died */
    int fd;
    SSL *ssl;
    nghttp2_session *h2;
    const uint8_t *pend;     /* bytes nghttp2 gave us that TLS has not taken yet */
    size_t pend_len, pend_off;
    int reading, dead, goaway, tls_refused, refs;
    char death[600];
    char hsm[300];           /* host:port, for messages and :authority */
    uint64_t epoch;
    int key_check_off;
    const jc_conf *conf;
    int64_t last_rx, ping_sent; /* keep-alive: when the HSM last sent anything; our unanswered PING, 0: none */
};

/* An HSM silent this long gets a PING; one that does not answer it in time is gone (HsmChannels' keep-alive). */
#define KEEPALIVE_MS 60000
#define KEEPALIVE_TIMEOUT_MS 20000

static void die(jc_conn *c, const char *why) {
    if (!c->dead) {
        c->dead = 1;
        snprintf(c->death, sizeof c->death, "%s", why);
    }
    pthread_cond_broadcast(&c->cv);
}

/* Sends what nghttp2 has to send. 0 all sent, 1 deadline (the rest waits), -1 the connection died. */
static int flush_locked(jc_conn *c, int64_t deadline) {
    for (;;) {
        if (c->pend_off == c->pend_len) {
            const uint8_t *data;
            ssize_t n = nghttp2_session_mem_send(c->h2, &data);
            if (n < 0) {
                char why[400];
                snprintf(why, sizeof why, "HSM %s: HTTP/2 failed (%s)", c->hsm, nghttp2_strerror((int) n));
                die(c, why);
                return -1;
            }
            if (n == 0) return 0;
            c->pend = data;
            c->pend_len = (size_t) n;
            c->pend_off = 0;
        }
        int w = SSL_write(c->ssl, c->pend + c->pend_off, (int) (c->pend_len - c->pend_off));
        if (w > 0) {
            c->pend_off += (size_t) w;
            continue;
        }
        int err = SSL_get_error(c->ssl, w);
        if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ) {
            int r = jc_wait_fd(c->fd, err == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, deadline);
            if (r == 0) return 1;
            if (r > 0) continue;
        }
        char why[400];
        snprintf(why, sizeof why, "HSM %s: connection lost while sending (%s)", c->hsm,
                 errno ? strerror(errno) : "TLS write failed");
        ERR_clear_error();
        die(c, why);
        return -1;
    }
}

/* Reads what arrived and feeds nghttp2 (which answers PINGs and SETTINGS by itself). -1: the connection died. */
static int read_locked(jc_conn *c) {
    uint8_t buf[16384];
    for (;;) {
        errno = 0;
        int r = SSL_read(c->ssl, buf, sizeof buf);
        if (r > 0) {
            c->last_rx = jc_now_ms();
            c->ping_sent = 0;
            ssize_t m = nghttp2_session_mem_recv(c->h2, buf, (size_t) r);
            if (m >= 0 && nghttp2_session_want_write(c->h2)) flush_locked(c, jc_now_ms() + 100); /* a GOAWAY, say */
            if (m < 0) {
                char why[400];
                snprintf(why, sizeof why, "HSM %s: sent what is not valid HTTP/2 (%s); the connection is closed",
                         c->hsm, nghttp2_strerror((int) m));
                die(c, why);
                return -1;
            }
            continue;
        }
        int err = SSL_get_error(c->ssl, r);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
            if (nghttp2_session_want_read(c->h2)) return 0;
            /* a protocol error or a GOAWAY with nothing left: nghttp2 ends the session, sending its GOAWAY first */
            char why[400];
            snprintf(why, sizeof why, "HSM %s: broke the HTTP/2 protocol; the connection is closed", c->hsm);
            die(c, why);
            return -1;
        }
        int sys = errno;
        char why[600], tls[600];
        if (err == SSL_ERROR_SSL && jc_tls_explain(c->conf, c->hsm, c->ssl, err, 0, tls, sizeof tls)) {
            c->tls_refused = 1;
            snprintf(why, sizeof why, "%s", tls);
        } else {
            ERR_clear_error();
            snprintf(why, sizeof why, "HSM %s: connection lost (%s)", c->hsm,
                     err == SSL_ERROR_ZERO_RETURN || (err != SSL_ERROR_SSL && !sys) ? "closed by the HSM"
                     : sys ? strerror(sys) : "TLS error");
        }
        die(c, why);
        return -1;
    }
}

static int on_frame_recv(nghttp2_session *s, const nghttp2_frame *f, void *ud) {
    jc_conn *c = ud;
    if (f->hd.type == NGHTTP2_GOAWAY) c->goaway = 1; /* the node ends this application: new calls need a new one */
    return 0;
}

static nghttp2_session *new_session(jc_conn *c) {
    nghttp2_session_callbacks *cb;
    nghttp2_session_callbacks_new(&cb);
    jc_h2stream_callbacks(cb);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
    nghttp2_session *h2 = NULL;
    nghttp2_session_client_new(&h2, cb, c);
    nghttp2_session_callbacks_del(cb);
    nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 1000},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, 65536},
    };
    nghttp2_submit_settings(h2, NGHTTP2_FLAG_NONE, settings, sizeof settings / sizeof settings[0]);
    nghttp2_session_set_local_window_size(h2, NGHTTP2_FLAG_NONE, 0, 16 << 20);
    return h2;
}

static int is_ip_literal(const char *host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

static int tls_handshake(jc_conn *c, const jc_conf *conf, const jc_addr *a, int64_t deadline, char *why, size_t n,
                         int *tls_refused) {
    if (!is_ip_literal(a->host)) SSL_set_tlsext_host_name(c->ssl, a->host); /* SNI names hosts, never addresses */
    for (;;) {
        errno = 0;
        int r = SSL_connect(c->ssl);
        if (r == 1) break;
        int err = SSL_get_error(c->ssl, r);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
            int w = jc_wait_fd(c->fd, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
            if (w > 0) continue;
            snprintf(why, n, "HSM %s: no answer within %lld ms (connect-timeout-ms): the HSM is down, unreachable or "
                     "not speaking TLS on that port", c->hsm, (long long) conf->connect_timeout_ms);
            return -1;
        }
        *tls_refused = jc_tls_explain(conf, c->hsm, c->ssl, err, errno, why, n);
        return -1;
    }
    const unsigned char *alpn = NULL;
    unsigned alpn_len = 0;
    SSL_get0_alpn_selected(c->ssl, &alpn, &alpn_len);
    if (alpn_len != 2 || memcmp(alpn, "h2", 2) != 0) {
        snprintf(why, n, "HSM %s: TLS works but the server did not agree to HTTP/2 (ALPN h2): it is not a jhsm HSM port",
                 c->hsm);
        return -1;
    }
    return 0;
}

jc_conn *jc_conn_open(const jc_conf *conf, SSL_CTX *ctx, const jc_addr *a, int64_t deadline, char *why, size_t n,
                      int *tls_refused) {
    *tls_refused = 0;
    jc_conn *c = calloc(1, sizeof *c);
    jc_addr_str(a, c->hsm, sizeof c->hsm);
    c->key_check_off = !conf->key_check;
    c->conf = conf;
    c->fd = jc_tcp_connect(a, c->hsm, deadline, why, n);
    if (c->fd < 0) {
        free(c);
        return NULL;
    }
    c->ssl = SSL_new(ctx);
    jc_tls_use_socket(c->ssl, c->fd);
    if (tls_handshake(c, conf, a, deadline, why, n, tls_refused) != 0) {
        SSL_free(c->ssl);
        close(c->fd);
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c->cv, &ca);
    pthread_condattr_destroy(&ca);
    c->refs = 1;
    c->last_rx = jc_now_ms();
    c->epoch = __atomic_add_fetch(&next_epoch, 1, __ATOMIC_SEQ_CST);
    c->h2 = new_session(c);
    pthread_mutex_lock(&c->mu);
    flush_locked(c, deadline);
    pthread_mutex_unlock(&c->mu);
    return c;
}

/* Waits for the stream as reader or follower, by deadline. Returns with the lock held. */
static void await_stream(jc_conn *c, jc_h2stream *st, int64_t deadline) {
    while (!st->done && !c->dead) {
        int64_t now = jc_now_ms();
        if (now >= deadline) {
            st->timed_out = 1;
            return;
        }
        if (c->reading) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            int64_t left = deadline - now;
            ts.tv_sec += left / 1000;
            ts.tv_nsec += (left % 1000) * 1000000;
            if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
            pthread_cond_timedwait(&c->cv, &c->mu, &ts);
            continue;
        }
        c->reading = 1;
        short events = POLLIN | (c->pend_off < c->pend_len ? POLLOUT : 0);
        int buffered = SSL_pending(c->ssl) > 0;
        pthread_mutex_unlock(&c->mu);
        int r = buffered ? 1 : jc_wait_fd(c->fd, events, deadline);
        pthread_mutex_lock(&c->mu);
        c->reading = 0;
        if (r > 0 && !c->dead && read_locked(c) == 0) flush_locked(c, deadline);
        pthread_cond_broadcast(&c->cv); /* finished streams' owners, and a new reader */
    }
}

static void build_headers(jc_conn *c, const char *path, int64_t deadline, nghttp2_nv *nv, int *n, char timeout[24]) {
    int64_t left = deadline - jc_now_ms();
    if (left < 1) left = 1;
    if (left > 99999999) snprintf(timeout, 24, "%lldS", (long long) (left / 1000));
    else snprintf(timeout, 24, "%lldm", (long long) left);
#define NV(k, v) nv[(*n)++] = (nghttp2_nv) {(uint8_t *) (k), (uint8_t *) (v), strlen(k), strlen(v), NGHTTP2_NV_FLAG_NONE}
    *n = 0;
    NV(":method", "POST");
    NV(":scheme", "https");
    NV(":path", path);
    NV(":authority", c->hsm);
    NV("content-type", "application/grpc");
    NV("te", "trailers");
    NV("user-agent", "jhsm-native");
    NV("grpc-timeout", timeout);
    if (c->key_check_off) NV("jhsm-key-availability-check", "off");
#undef NV
}

void jc_conn_unary(jc_conn *c, const char *path, const uint8_t *msg, size_t len, int64_t deadline,
                   jc_grpc_result *out) {
    memset(out, 0, sizeof *out);
    jc_h2stream st;
    jc_h2stream_init(&st, msg, len);
    nghttp2_nv nv[10];
    int nvn;
    char timeout[24];
    pthread_mutex_lock(&c->mu);
    if (c->dead || c->goaway) {
        out->status = JC_GRPC_UNAVAILABLE;
        snprintf(out->message, sizeof out->message, "%s", c->dead ? c->death : "the HSM is closing the connection");
        pthread_mutex_unlock(&c->mu);
        jc_h2stream_free(&st);
        return;
    }
    build_headers(c, path, deadline, nv, &nvn, timeout);
    nghttp2_data_provider prd = {.source.ptr = &st, .read_callback = jc_h2stream_read};
    int32_t id = nghttp2_submit_request(c->h2, NULL, nv, (size_t) nvn, &prd, &st);
    if (id < 0) {
        if (id == NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE) c->goaway = 1; /* 2^30 calls made: the next call reconnects */
        out->status = JC_GRPC_UNAVAILABLE;
        snprintf(out->message, sizeof out->message, "HSM %s: no new HTTP/2 stream (%s)", c->hsm, nghttp2_strerror(id));
        pthread_mutex_unlock(&c->mu);
        jc_h2stream_free(&st);
        return;
    }
    st.id = id;
    flush_locked(c, deadline);
    await_stream(c, &st, deadline);
    if (!st.done) {
        nghttp2_session_set_stream_user_data(c->h2, id, NULL); /* st lives on this stack: nghttp2 forgets it */
        if (!c->dead) {
            nghttp2_submit_rst_stream(c->h2, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
            flush_locked(c, jc_now_ms() + 100);
        }
    }
    int dead = c->dead;
    char death[sizeof c->death];
    snprintf(death, sizeof death, "%s", c->death);
    pthread_mutex_unlock(&c->mu);
    jc_h2stream_result(&st, c->hsm, dead, death, out);
    jc_h2stream_free(&st);
}

int jc_conn_alive(jc_conn *c) {
    pthread_mutex_lock(&c->mu);
    int alive = !c->dead && !c->goaway;
    pthread_mutex_unlock(&c->mu);
    return alive;
}

uint64_t jc_conn_epoch(const jc_conn *c) { return c->epoch; }
int jc_conn_fd(const jc_conn *c) { return c->fd; }

const char *jc_conn_death(jc_conn *c) { return c->death; }
int jc_conn_tls_refused(jc_conn *c) { return c->tls_refused; }

void jc_conn_service_idle(jc_conn *c) {
    pthread_mutex_lock(&c->mu);
    if (!c->reading && !c->dead && read_locked(c) == 0) flush_locked(c, jc_now_ms() + 1000);
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

void jc_conn_keepalive(jc_conn *c) {
    int64_t now = jc_now_ms();
    pthread_mutex_lock(&c->mu);
    if (!c->dead && !c->reading) { /* a reader's own deadline bounds its wait */
        if (c->ping_sent && now - c->ping_sent > KEEPALIVE_TIMEOUT_MS) {
            char why[400];
            snprintf(why, sizeof why, "HSM %s: no answer to a keep-alive PING within %d s: the connection is half-open or "
                     "the HSM hung", c->hsm, KEEPALIVE_TIMEOUT_MS / 1000);
            die(c, why);
        } else if (!c->ping_sent && now - c->last_rx > KEEPALIVE_MS) {
            nghttp2_submit_ping(c->h2, NGHTTP2_FLAG_NONE, NULL);
            c->ping_sent = now;
            flush_locked(c, now + 1000);
        }
    }
    pthread_mutex_unlock(&c->mu);
}

void jc_conn_ref(jc_conn *c) { __atomic_add_fetch(&c->refs, 1, __ATOMIC_SEQ_CST); }

void jc_conn_unref(jc_conn *c) {
    if (c && __atomic_sub_fetch(&c->refs, 1, __ATOMIC_SEQ_CST) == 0) {
        nghttp2_session_del(c->h2);
        SSL_free(c->ssl);
        close(c->fd);
        pthread_cond_destroy(&c->cv);
        pthread_mutex_destroy(&c->mu);
        free(c);
    }
}

void jc_conn_close(jc_conn *c) {
    pthread_mutex_lock(&c->mu);
    if (!c->dead) {
        nghttp2_session_terminate_session(c->h2, NGHTTP2_NO_ERROR);
        flush_locked(c, jc_now_ms() + 200);
        SSL_shutdown(c->ssl);
        ERR_clear_error();
        die(c, "closed by C_Finalize");
    }
    pthread_mutex_unlock(&c->mu);
    jc_conn_unref(c);
}

void jc_conn_forget(jc_conn *c) {
    close(c->fd); /* the parent's socket stays open in the parent; nothing is sent from here */
}
