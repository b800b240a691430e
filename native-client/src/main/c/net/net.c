/*
 * The process's client: jc_net_* (the seam, common/jc_net.h), the background thread (answers HTTP/2 PINGs on idle
 * connections, refreshes discovery, reconnects lost HSMs) and forgetting everything in a fork()ed child.
 */
#include "jc_net_int.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define DISCOVERY_PERIOD_MS 3000
#define BOOTSTRAP_SPACING_MS 200

static jc_net_state *current_state;

int64_t jc_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void jc_sleep_ms(int64_t ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int jc_state_members(jc_net_state *s, jc_member **out, int cap) {
    pthread_mutex_lock(&s->mu);
    int n = s->n_members < cap ? s->n_members : cap;
    memcpy(out, s->members, sizeof(jc_member *) * (size_t) n);
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* C_Initialize: the listed HSMs are tried in turn (a refused connect again) until one answers or connect-timeout-ms. */
static jc_member *bootstrap(jc_net_state *s) {
    int64_t deadline = jc_now_ms() + s->conf.connect_timeout_ms;
    do {
        for (int i = 0; i < s->conf.n_hsms; i++) {
            jc_member *m = jc_state_member(s, &s->conf.hsms[i]);
            jc_conn *c = jc_member_conn(s, m, 1, "C_Initialize");
            if (c) {
                jc_conn_unref(c);
                return m;
            }
            if (m->tls_refused) return NULL; /* a certificate refusal: trying again will not help */
        }
        jc_sleep_ms(BOOTSTRAP_SPACING_MS);
    } while (jc_now_ms() < deadline);
    return NULL;
}

static void *background(void *arg) {
    jc_net_state *s = arg;
    while (!__atomic_load_n(&s->stopping, __ATOMIC_SEQ_CST)) {
        jc_member *ms[256], *of[256];
        jc_conn *cs[256];
        struct pollfd p[257];
        int n = jc_state_members(s, ms, 256), k = 0;
        p[0] = (struct pollfd) {s->wake_fd, POLLIN, 0};
        for (int i = 0; i < n; i++) {
            jc_conn *c = jc_member_current(ms[i]);
            if (c) {
                of[k] = ms[i];
                cs[k] = c;
                p[1 + k++] = (struct pollfd) {jc_conn_fd(c), POLLIN, 0};
            }
        }
        int64_t left = s->last_refresh + DISCOVERY_PERIOD_MS - jc_now_ms();
        int r = poll(p, (nfds_t) k + 1, left < 0 ? 0 : left > 1000 ? 1000 : (int) left);
        if (r > 0 && p[0].revents) {
            uint64_t v;
            if (read(s->wake_fd, &v, sizeof v) < 0) { /* nothing to drain */ }
        }
        int serviced = 0;
        for (int i = 0; i < k; i++) {
            if (r > 0 && p[1 + i].revents) {
                jc_conn_service_idle(cs[i]); /* nghttp2 answers the node's PINGs */
                serviced = 1;
            }
            jc_conn_keepalive(cs[i]);
            if (!jc_conn_alive(cs[i])) jc_member_lost(s, of[i], cs[i]); /* closed, or half-open: discovery looks now */
            jc_conn_unref(cs[i]);
        }
        if (__atomic_load_n(&s->stopping, __ATOMIC_SEQ_CST)) break;
        if (__atomic_exchange_n(&s->refresh_now, 0, __ATOMIC_SEQ_CST)
            || jc_now_ms() - s->last_refresh >= DISCOVERY_PERIOD_MS) {
            s->last_refresh = jc_now_ms();
            jc_discovery_refresh(s);
        }
        if (serviced) jc_sleep_ms(10); /* a busy connection's reader takes what came: do not spin on it */
    }
    return NULL;
}

static void free_state(jc_net_state *s) {
    for (int i = 0; i < s->n_members; i++) jc_member_free(s->members[i]);
    free(s->members);
    jc_router_clear(s);
    if (s->ctx) SSL_CTX_free(s->ctx);
    jc_conf_free(&s->conf);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->revive);
    free(s);
}

jc_rv jc_net_start(int may_create_threads) {
    jc_net_state *s = calloc(1, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->revive, NULL);
    s->wake_fd = -1;
    if (jc_conf_load(&s->conf) != 0 || !(s->ctx = jc_tls_context(&s->conf))) {
        free_state(s);
        return JC_CKR_GENERAL_ERROR;
    }
    srandom((unsigned) (jc_now_ms() ^ getpid()));
    jc_member *first = bootstrap(s);
    if (!first) {
        char list[600] = "";
        for (int i = 0; i < s->conf.n_hsms; i++) {
            char a[300];
            jc_addr_str(&s->conf.hsms[i], a, sizeof a);
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "," : "", a);
        }
        jc_log_problem("CKR_DEVICE_ERROR", "C_Initialize: no HSM of %s answered within %lld ms (connect-timeout-ms); "
                       "each one's reason is logged above; check the nodes run: jhsm cluster status", list,
                       (long long) s->conf.connect_timeout_ms);
        free_state(s);
        return JC_CKR_DEVICE_ERROR;
    }
    jc_discovery_refresh(s);
    s->last_refresh = jc_now_ms();
    if (may_create_threads) {
        s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old); /* the application's signals are not ours to take */
        s->threaded = s->wake_fd >= 0 && pthread_create(&s->thread, NULL, background, s) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    current_state = s;
    return JC_CKR_OK;
}

void jc_net_stop(void) {
    jc_net_state *s = current_state;
    if (!s) return;
    current_state = NULL;
    if (s->threaded) {
        __atomic_store_n(&s->stopping, 1, __ATOMIC_SEQ_CST);
        uint64_t one = 1;
        if (write(s->wake_fd, &one, sizeof one) < 0) { /* the thread wakes within a second anyway */ }
        pthread_join(s->thread, NULL);
    }
    if (s->wake_fd >= 0) close(s->wake_fd);
    jc_logins_forget(s);
    free_state(s);
}

void jc_net_forget_after_fork(void) {
    jc_net_state *s = current_state;
    current_state = NULL;
    if (!s) return;
    for (int i = 0; i < s->n_members; i++) { /* no lock: a parent thread may have held it at fork() */
        if (s->members[i]->conn) jc_conn_forget(s->members[i]->conn);
    }
    if (s->wake_fd >= 0) close(s->wake_fd);
    /* the rest is leaked on purpose, once per fork: the PIN copy too is wiped */
    if (s->pin) explicit_bzero(s->pin, s->pin_len);
}

jc_rv jc_net_call(Jhsm__V1__Request *req, Jhsm__V1__Response **resp) {
    *resp = NULL;
    jc_net_state *s = current_state;
    if (!s) return JC_CKR_CRYPTOKI_NOT_INITIALIZED;
    return jc_router_call(s, req, resp);
}

void jc_net_free(Jhsm__V1__Response *resp) {
    if (resp) jhsm__v1__response__free_unpacked(resp, NULL);
}
