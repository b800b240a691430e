/*
 * Finds the cluster's HSMs from any one of them (Management/ListHsms, as CloudHSM's client bootstraps from one HSM
 * address, [UG]/cluster-connect.html): at C_Initialize, then every 3 s from the background thread and at once after
 * a call found an HSM lost (without the thread: at C_Initialize and on a loss). A node answering UNIMPLEMENTED is a
 * one-HSM cluster; with discovery = off the HSMs in hsms are the cluster. Lost HSMs are probed on each refresh.
 */
#include "jc_net_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LIST_TIMEOUT_MS 5000

jc_member *jc_state_member(jc_net_state *s, const jc_addr *a) {
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < s->n_members; i++) {
        if (s->members[i]->addr.port == a->port && strcmp(s->members[i]->addr.host, a->host) == 0) {
            jc_member *m = s->members[i];
            pthread_mutex_unlock(&s->mu);
            return m;
        }
    }
    if (s->n_members == s->cap_members) { /* members are never freed before C_Finalize: snapshots stay valid */
        s->cap_members = s->cap_members ? s->cap_members * 2 : 8;
        s->members = realloc(s->members, sizeof(jc_member *) * (size_t) s->cap_members);
    }
    jc_member *m = jc_member_new(a);
    s->members[s->n_members++] = m;
    pthread_mutex_unlock(&s->mu);
    return m;
}

static void apply(jc_net_state *s, Jhsm__V1__HsmList *list, jc_member *from, int connect_new) {
    jc_member *listed[256];
    int n = 0;
    for (size_t i = 0; i < list->n_hsms && n < 256; i++) {
        Jhsm__V1__HsmEntry *e = list->hsms[i];
        jc_addr a;
        if (!e->address || !*e->address) continue;
        if (jc_addr_parse(e->address, &a) != 0) {
            char label[320];
            jc_member_label(from, label, sizeof label);
            jc_log_problem("warning", "HSM discovery: HSM %s lists %s at %s, not HOST:PORT; the client leaves it out "
                           "(check that node's --listen)", label, e->hsm_id ? e->hsm_id : "?", e->address);
            continue;
        }
        if (strcmp(a.host, "0.0.0.0") == 0 || strcmp(a.host, "::") == 0) { /* reach it as we reach its peer */
            snprintf(a.host, sizeof a.host, "%s", from->addr.host);
        }
        jc_member *m = jc_state_member(s, &a);
        pthread_mutex_lock(&m->mu);
        if (e->hsm_id && *e->hsm_id) {
            char addr[300];
            jc_addr_str(&m->addr, addr, sizeof addr);
            snprintf(m->label, sizeof m->label, "%s (%s)", e->hsm_id, addr);
        }
        const char *st = e->state ? e->state : "";
        m->listed = 1;
        m->serving = !*st || strcmp(st, "ACTIVE") == 0 || strcmp(st, "DEGRADED") == 0;
        m->reported_sessions = e->sessions;
        int fresh = !m->conn && !m->lost;
        pthread_mutex_unlock(&m->mu);
        listed[n++] = m;
        if (fresh && connect_new) jc_conn_unref(jc_member_conn(s, m, 1, "HSM discovery"));
    }
    jc_member *ms[256];
    int k = jc_state_members(s, ms, 256);
    for (int i = 0; i < k; i++) {
        int in = 0;
        for (int j = 0; j < n; j++) in |= listed[j] == ms[i];
        if (!in) { /* removed or replaced: no new sessions; its open ones stay routed */
            pthread_mutex_lock(&ms[i]->mu);
            ms[i]->listed = 0;
            pthread_mutex_unlock(&ms[i]->mu);
        }
    }
}

/* True when `from` answered: a list, or UNIMPLEMENTED (itself alone). */
static int list_from(jc_net_state *s, jc_member *from, int connect_new) {
    jc_conn *c = jc_member_current(from);
    if (!c) return 0;
    Jhsm__V1__ListHsmsRequest req = JHSM__V1__LIST_HSMS_REQUEST__INIT;
    int64_t ms = s->conf.call_timeout_ms < LIST_TIMEOUT_MS ? s->conf.call_timeout_ms : LIST_TIMEOUT_MS;
    jc_grpc_result r;
    jc_grpc_call(c, "/jhsm.v1.Management/ListHsms", &req.base, jc_now_ms() + ms, &r);
    jc_conn_unref(c);
    int answered = 0;
    if (r.status == JC_GRPC_OK) {
        Jhsm__V1__HsmList *list = jhsm__v1__hsm_list__unpack(NULL, r.body_len, r.body);
        if (list) {
            if (list->n_hsms) apply(s, list, from, connect_new);
            jhsm__v1__hsm_list__free_unpacked(list, NULL);
            answered = 1;
        }
    } else if (r.status == JC_GRPC_UNIMPLEMENTED) {
        char addr[300];
        jc_addr_str(&from->addr, addr, sizeof addr);
        Jhsm__V1__HsmEntry self = JHSM__V1__HSM_ENTRY__INIT, *one = &self;
        self.address = addr;
        self.state = "ACTIVE";
        Jhsm__V1__HsmList list = JHSM__V1__HSM_LIST__INIT;
        list.n_hsms = 1;
        list.hsms = &one;
        apply(s, &list, from, connect_new);
        answered = 1;
    }
    free(r.body);
    return answered;
}

static void refresh(jc_net_state *s, int connect_new) {
    jc_member *ms[256];
    int n = jc_state_members(s, ms, 256);
    for (int i = 0; i < n; i++) { /* probe lost HSMs: a returning one serves again */
        pthread_mutex_lock(&ms[i]->mu);
        int probe = ms[i]->lost && ms[i]->listed && !ms[i]->conn;
        pthread_mutex_unlock(&ms[i]->mu);
        if (probe && connect_new) jc_conn_unref(jc_member_conn(s, ms[i], 1, "HSM discovery"));
    }
    if (!s->conf.discovery) return;
    n = jc_place_order(s, ms, 256, 1);
    for (int i = 0; i < n; i++) {
        if (list_from(s, ms[i], connect_new)) return;
    }
}

void jc_discovery_refresh(jc_net_state *s) {
    refresh(s, s->threaded);
}

void jc_discovery_soon(jc_net_state *s) {
    if (s->threaded) {
        __atomic_store_n(&s->refresh_now, 1, __ATOMIC_SEQ_CST);
        uint64_t one = 1;
        if (write(s->wake_fd, &one, sizeof one) < 0) { /* full: the thread is awake anyway */ }
    } else {
        refresh(s, 0);
    }
}
