/*
 * One HSM of the cluster as this application knows it (HsmMember): its address, what discovery said of it, whether
 * a call found it lost, its current connection (one application on it) and whether the application is logged in
 * on that connection.
 */
#include "jc_net_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A lost HSM is tried again at most this often: while it is down, calls on its sessions fail fast. */
#define RECONNECT_SPACING_MS 500
/* A lost HSM gets no new sessions for this long unless it is connected again (HsmMember.LOST_COOL_OFF). */
#define LOST_COOL_OFF_MS 5000

jc_member *jc_member_new(const jc_addr *a) {
    jc_member *m = calloc(1, sizeof *m);
    m->addr = *a;
    jc_addr_str(a, m->label, sizeof m->label);
    pthread_mutex_init(&m->mu, NULL);
    pthread_mutex_init(&m->connecting, NULL);
    m->listed = m->serving = 1;
    return m;
}

void jc_member_label(jc_member *m, char *buf, size_t n) {
    pthread_mutex_lock(&m->mu);
    snprintf(buf, n, "%s", m->label);
    pthread_mutex_unlock(&m->mu);
}

/* The connection if it is alive (referenced); a dead one is dropped and the HSM marked lost. */
static jc_conn *current_locked(jc_member *m) {
    jc_conn *c = m->conn;
    if (c && !jc_conn_alive(c)) {
        m->conn = NULL;
        m->login_epoch = 0;
        if (!m->lost) {
            m->lost = 1;
            m->lost_at = jc_now_ms();
        }
        jc_conn_unref(c);
        c = NULL;
    }
    if (c) jc_conn_ref(c);
    return c;
}

jc_conn *jc_member_current(jc_member *m) {
    pthread_mutex_lock(&m->mu);
    jc_conn *c = current_locked(m);
    pthread_mutex_unlock(&m->mu);
    return c;
}

static jc_conn *connect_once(jc_net_state *s, jc_member *m, const char *during) {
    char why[700];
    int refused = 0;
    int64_t deadline = jc_now_ms() + s->conf.connect_timeout_ms;
    jc_conn *c = jc_conn_open(&s->conf, s->ctx, &m->addr, deadline, why, sizeof why, &refused);
    if (c) {
        jc_grpc_result r;
        if (jc_grpc_health(c, deadline, &r) != 0) {
            refused = jc_conn_tls_refused(c);
            snprintf(why, sizeof why, "%s", refused ? jc_conn_death(c) : r.message);
            jc_conn_close(c);
            c = NULL;
        }
    }
    pthread_mutex_lock(&m->mu);
    m->tls_refused = refused;
    pthread_mutex_unlock(&m->mu);
    if (!c) { /* C_Initialize answers CKR_DEVICE_ERROR for it; later, the call's own line says what it answers */
        const char *level = strcmp(during, "C_Initialize") == 0 ? "CKR_DEVICE_ERROR" : "warning";
        if (refused) jc_log_problem(level, "%s: %s", during, why); /* TLS refused: waiting longer would not help */
        else jc_log_problem(level, "%s: %s (waited at most %lld ms, connect-timeout-ms; check the node runs: jhsm "
                            "cluster status)", during, why, (long long) s->conf.connect_timeout_ms);
    }
    return c;
}

jc_conn *jc_member_conn(jc_net_state *s, jc_member *m, int may_connect, const char *during) {
    jc_conn *c = jc_member_current(m);
    if (c || !may_connect) return c;
    pthread_mutex_lock(&m->connecting);
    c = jc_member_current(m);
    pthread_mutex_lock(&m->mu);
    int64_t now = jc_now_ms();
    int too_soon = m->lost && now - m->last_try < RECONNECT_SPACING_MS;
    if (!c && !too_soon) m->last_try = now;
    pthread_mutex_unlock(&m->mu);
    if (!c && !too_soon) {
        c = connect_once(s, m, during);
        pthread_mutex_lock(&m->mu);
        if (c) {
            m->conn = c;
            m->lost = 0;
            m->login_epoch = 0;
            jc_conn_ref(c);
        } else if (!m->lost) {
            m->lost = 1;
            m->lost_at = jc_now_ms();
        }
        pthread_mutex_unlock(&m->mu);
    }
    pthread_mutex_unlock(&m->connecting);
    return c;
}

void jc_member_lost(jc_net_state *s, jc_member *m, jc_conn *seen) {
    pthread_mutex_lock(&m->mu);
    if (!m->lost) {
        m->lost = 1;
        m->lost_at = jc_now_ms();
    }
    if (m->conn == seen && seen && !jc_conn_alive(seen)) {
        m->conn = NULL;
        m->login_epoch = 0;
        jc_conn_unref(seen);
    }
    pthread_mutex_unlock(&m->mu);
    jc_discovery_soon(s);
}

int jc_member_logged_in(jc_member *m, uint64_t epoch) {
    pthread_mutex_lock(&m->mu);
    int in = m->login_epoch != 0 && m->login_epoch == epoch;
    pthread_mutex_unlock(&m->mu);
    return in;
}

void jc_member_set_login(jc_member *m, uint64_t epoch) {
    pthread_mutex_lock(&m->mu);
    m->login_epoch = epoch;
    if (!epoch) m->login_refused = 0;
    pthread_mutex_unlock(&m->mu);
}

int jc_member_placeable(jc_member *m) {
    pthread_mutex_lock(&m->mu);
    int ok = m->listed && m->serving && !m->login_refused
             && (!m->lost || (m->conn && jc_now_ms() - m->lost_at > LOST_COOL_OFF_MS));
    pthread_mutex_unlock(&m->mu);
    return ok;
}

void jc_member_free(jc_member *m) {
    if (m->conn) jc_conn_close(m->conn);
    pthread_mutex_destroy(&m->mu);
    pthread_mutex_destroy(&m->connecting);
    free(m);
}
