/*
 * The application's sessions across the cluster (SessionRouter): C_OpenSession places each on an HSM, the
 * application gets a handle of the client's own (unique for the process's life, fork included) and every call on
 * it goes to that HSM with the node's handle.
 *
 * One deliberate difference from the Java client: a session survives its HSM's loss. The call in flight fails
 * (CKR_DEVICE_REMOVED); while no HSM can take the session its calls fail fast with CKR_DEVICE_REMOVED; once one
 * serves (the same one back, or another: failover) the next call re-opens a node session there with the same slot
 * and flags, logs the application in if it is logged in, and runs. CloudHSM: in-progress operations on a lost HSM
 * may fail and must be retried ([UG]/bp-cluster-management.html). What lived only in the lost node session (an
 * active operation, a search, session objects) is gone, as PKCS#11 would have it. A forking web server needs
 * this: libp11 keeps its session handles in a pool and never reopens them.
 */
#include "jc_net_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Node session objects have handles from here up (the engine's range; token objects' ids stay far below). */
#define SESSION_OBJECT_HANDLES 0x40000000ULL

static uint64_t last_handle; /* never reset: a handle from before C_Finalize, or the parent's, is never valid */

static int find_locked(jc_net_state *s, uint64_t handle) {
    int lo = 0, hi = s->n_routes - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (s->routes[mid].handle == handle) return mid;
        if (s->routes[mid].handle < handle) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

static uint64_t add_route(jc_net_state *s, jc_member *m, uint64_t epoch, uint64_t node, uint64_t slot, uint64_t flags) {
    uint64_t h = __atomic_add_fetch(&last_handle, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_lock(&s->mu);
    if (s->n_routes == s->cap_routes) {
        s->cap_routes = s->cap_routes ? s->cap_routes * 2 : 16;
        s->routes = realloc(s->routes, sizeof(jc_route) * (size_t) s->cap_routes);
    }
    int i = s->n_routes; /* handles only grow, but another thread may have added a higher one first */
    while (i > 0 && s->routes[i - 1].handle > h) i--;
    memmove(s->routes + i + 1, s->routes + i, sizeof(jc_route) * (size_t) (s->n_routes - i));
    s->routes[i] = (jc_route) {h, node, slot, flags, epoch, m};
    s->n_routes++;
    pthread_mutex_unlock(&s->mu);
    return h;
}

/* Removes the route; when it was the application's last session on its HSM (or at all) that login ended too. */
static void remove_route(jc_net_state *s, uint64_t handle) {
    pthread_mutex_lock(&s->mu);
    int i = find_locked(s, handle);
    jc_member *m = NULL;
    if (i >= 0) {
        m = s->routes[i].member;
        memmove(s->routes + i, s->routes + i + 1, sizeof(jc_route) * (size_t) (s->n_routes - i - 1));
        s->n_routes--;
    }
    int left_on_m = 0;
    for (int r = 0; r < s->n_routes; r++) left_on_m += s->routes[r].member == m;
    int none = s->n_routes == 0;
    pthread_mutex_unlock(&s->mu);
    if (m && !left_on_m) {
        jc_member_set_login(m, 0); /* PKCS#11: its last session there closed, so it is logged out there */
        pthread_mutex_lock(&m->mu);
        m->session_objects = 0;
        pthread_mutex_unlock(&m->mu);
    }
    if (none) jc_logins_forget(s); /* the application's last session closed: logged out, PIN wiped */
}

jc_rv jc_router_send(jc_net_state *s, const jc_route *r, jc_conn *c, Jhsm__V1__Request *req, int64_t deadline,
                     Jhsm__V1__Response **resp) {
    uint64_t *session = jc_req_session(req);
    uint64_t mine = session ? *session : 0;
    if (session) *session = r->node_handle;
    jc_sent sent = jc_send(s, r->member, c, req, deadline);
    if (session) *session = mine; /* the caller's request as it gave it */
    *resp = sent.resp;
    return sent.rv;
}

static jc_rv open_on(jc_net_state *s, jc_member *m, jc_conn *c, uint64_t slot, uint64_t flags, int64_t deadline,
                     uint64_t *node) {
    Jhsm__V1__OpenSession os = JHSM__V1__OPEN_SESSION__INIT;
    os.has_slot = os.has_flags = os.has_notify = 1;
    os.slot = slot;
    os.flags = flags;
    Jhsm__V1__Request req = JHSM__V1__REQUEST__INIT;
    req.function_case = JHSM__V1__REQUEST__FUNCTION_OPEN_SESSION;
    req.open_session = &os;
    jc_sent sent = jc_send(s, m, c, &req, deadline);
    if (sent.rv != JC_CKR_OK) return sent.rv;
    jc_rv rv = sent.resp->rv;
    *node = sent.resp->number;
    jhsm__v1__response__free_unpacked(sent.resp, NULL);
    return rv;
}

void jc_router_session_call(jc_net_state *s, jc_member *m, jc_conn *c, int f, uint64_t node, int64_t deadline) {
    Jhsm__V1__Session one = JHSM__V1__SESSION__INIT;
    one.has_session = 1;
    one.session = node;
    Jhsm__V1__Request req = JHSM__V1__REQUEST__INIT;
    req.function_case = f;
    req.close_session = &one; /* the oneof's one pointer: close_session and logout alike */
    jc_sent sent = jc_send(s, m, c, &req, deadline); /* unreachable: the node ended it with the connection */
    if (sent.resp) jhsm__v1__response__free_unpacked(sent.resp, NULL);
}

static void close_quietly(jc_net_state *s, jc_member *m, jc_conn *c, uint64_t node, int64_t deadline) {
    jc_router_session_call(s, m, c, JHSM__V1__REQUEST__FUNCTION_CLOSE_SESSION, node, deadline);
}

/* The route of handle (0: none), and its connection (referenced) when it is still the one the session lives on. */
static int route_of(jc_net_state *s, uint64_t handle, jc_route *r, jc_conn **on_epoch) {
    pthread_mutex_lock(&s->mu);
    int i = find_locked(s, handle);
    *r = i >= 0 ? s->routes[i] : (jc_route) {0};
    pthread_mutex_unlock(&s->mu);
    *on_epoch = NULL;
    if (i < 0) return 0;
    jc_conn *c = jc_member_current(r->member);
    if (c && jc_conn_epoch(c) == r->epoch) *on_epoch = c;
    else jc_conn_unref(c);
    return 1;
}

/* The route's HSM was lost: re-open its session on a serving HSM (one re-opening at a time). */
static jc_rv revive(jc_net_state *s, uint64_t handle, int f, jc_route *out, jc_conn **conn) {
    char fn[64], was[320], now[320];
    jc_function_name(f, fn, sizeof fn);
    pthread_mutex_lock(&s->revive);
    jc_route r;
    jc_conn *c;
    if (!route_of(s, handle, &r, &c) || c) { /* closed, or another thread re-opened it meanwhile */
        pthread_mutex_unlock(&s->revive);
        *out = r;
        *conn = c;
        return c ? JC_CKR_OK : JC_CKR_SESSION_HANDLE_INVALID;
    }
    jc_member_label(r.member, was, sizeof was);
    jc_member *order[256];
    int n = jc_place_order(s, order, 256, 0);
    int64_t deadline = jc_now_ms() + s->conf.call_timeout_ms;
    for (int k = 0; k < n; k++) {
        jc_member *m = order[k];
        c = jc_member_conn(s, m, 1, fn);
        if (!c) continue;
        uint64_t node = 0;
        if (open_on(s, m, c, r.slot, r.flags, deadline, &node) != JC_CKR_OK) {
            jc_conn_unref(c);
            continue;
        }
        if (!jc_logins_join(s, m, c, node, deadline)) { /* logged in elsewhere, refused here: not this HSM */
            close_quietly(s, m, c, node, deadline);
            jc_conn_unref(c);
            continue;
        }
        pthread_mutex_lock(&s->mu);
        int i = find_locked(s, handle);
        if (i >= 0) {
            s->routes[i].member = m;
            s->routes[i].epoch = jc_conn_epoch(c);
            s->routes[i].node_handle = node;
            r = s->routes[i];
        }
        pthread_mutex_unlock(&s->mu);
        pthread_mutex_unlock(&s->revive);
        jc_member_label(m, now, sizeof now);
        jc_log_problem("warning", "session %llu re-opened on HSM %s: its HSM %s was lost; what lived only in the old "
                       "session (an active operation, a search, session objects) is gone", (unsigned long long) handle,
                       now, was);
        if (i < 0) { /* closed meanwhile */
            close_quietly(s, m, c, node, deadline);
            jc_conn_unref(c);
            return JC_CKR_SESSION_HANDLE_INVALID;
        }
        *out = r;
        *conn = c;
        return JC_CKR_OK;
    }
    pthread_mutex_unlock(&s->revive);
    jc_rv rv = jc_status_rv(JC_GRPC_UNAVAILABLE, f);
    jc_log_problem(jc_net_rv_name(rv), "%s: the session's HSM %s is unreachable and no other HSM of the cluster serves; "
                   "calls on the session fail until one does, then it is re-opened there (check the nodes: jhsm "
                   "cluster status)", fn, was);
    return rv;
}

jc_rv jc_router_live(jc_net_state *s, uint64_t handle, int f, jc_route *out, jc_conn **conn) {
    if (!route_of(s, handle, out, conn)) return JC_CKR_SESSION_HANDLE_INVALID;
    return *conn ? JC_CKR_OK : revive(s, handle, f, out, conn);
}

int jc_router_any_on(jc_net_state *s, jc_member *m, jc_route *out, jc_conn **conn) {
    jc_conn *c = jc_member_current(m);
    if (!c) return 0;
    int found = 0;
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < s->n_routes && !found; i++) {
        if (s->routes[i].member == m && s->routes[i].epoch == jc_conn_epoch(c)) {
            *out = s->routes[i];
            found = 1;
        }
    }
    pthread_mutex_unlock(&s->mu);
    if (found) *conn = c; else jc_conn_unref(c);
    return found;
}

static jc_rv no_hsm(int f) {
    char fn[64];
    jc_function_name(f, fn, sizeof fn);
    jc_log_problem("CKR_DEVICE_ERROR", "%s: no HSM of the cluster is serving; check that the HSM nodes run and are "
                   "reachable (jhsm cluster status)", fn);
    return JC_CKR_DEVICE_ERROR;
}

jc_rv jc_router_any(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp) {
    char fn[64];
    jc_function_name((int) req->function_case, fn, sizeof fn);
    jc_member *order[256];
    int n = jc_place_order(s, order, 256, 1);
    int64_t deadline = jc_now_ms() + s->conf.call_timeout_ms;
    jc_rv failure = JC_CKR_OK; /* an HSM that refused before the call ran: the next one may take it */
    for (int k = 0; k < n; k++) {
        jc_conn *c = jc_member_conn(s, order[k], 1, fn);
        if (!c) continue;
        jc_sent sent = jc_send(s, order[k], c, req, deadline);
        jc_conn_unref(c);
        if (sent.rv == JC_CKR_OK || !sent.never_ran) {
            *resp = sent.resp;
            return sent.rv;
        }
        failure = sent.rv;
    }
    return failure != JC_CKR_OK ? failure : no_hsm((int) req->function_case); /* a failure's line is logged */
}

static jc_rv open_session(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp) {
    jc_rv failure = JC_CKR_OK;
    jc_member *order[256];
    int n = jc_place_order(s, order, 256, 0);
    int64_t deadline = jc_now_ms() + s->conf.call_timeout_ms;
    for (int k = 0; k < n; k++) {
        jc_member *m = order[k];
        jc_conn *c = jc_member_conn(s, m, 1, "C_OpenSession");
        if (!c) continue;
        jc_sent sent = jc_send(s, m, c, req, deadline);
        if (sent.rv != JC_CKR_OK || sent.resp->rv != JC_CKR_OK) {
            jc_conn_unref(c);
            if (sent.rv != JC_CKR_OK && sent.never_ran) {
                failure = sent.rv;
                continue;
            }
            *resp = sent.resp;
            return sent.rv;
        }
        uint64_t node = sent.resp->number;
        if (!jc_logins_join(s, m, c, node, deadline)) { /* logged in elsewhere but refused here: the next HSM */
            close_quietly(s, m, c, node, deadline);
            jc_conn_unref(c);
            jhsm__v1__response__free_unpacked(sent.resp, NULL);
            continue;
        }
        sent.resp->number = add_route(s, m, jc_conn_epoch(c), node, req->open_session->slot, req->open_session->flags);
        jc_conn_unref(c);
        *resp = sent.resp;
        return JC_CKR_OK;
    }
    return failure != JC_CKR_OK ? failure : no_hsm((int) req->function_case);
}

/* An answer the node would have given: the node session went with its connection, so closing it succeeded. */
static Jhsm__V1__Response *ok_answer(void) {
    Jhsm__V1__Response *r = malloc(sizeof *r);
    jhsm__v1__response__init(r);
    return r;
}

static jc_rv close_session(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp) {
    uint64_t handle = req->close_session->session;
    jc_route r;
    jc_conn *c;
    if (!route_of(s, handle, &r, &c)) return JC_CKR_SESSION_HANDLE_INVALID;
    if (!c) { /* lost with its HSM's connection: nothing to close there */
        remove_route(s, handle);
        *resp = ok_answer();
        return JC_CKR_OK;
    }
    jc_rv rv = jc_router_send(s, &r, c, req, jc_now_ms() + s->conf.call_timeout_ms, resp);
    jc_conn_unref(c);
    if (rv != JC_CKR_OK || !(*resp)->throttled) remove_route(s, handle); /* throttled: the call did nothing */
    return rv;
}

/* C_CloseAllSessions: on every HSM holding sessions of the application (or any one, to check the slot). */
static jc_rv close_all(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp) {
    jc_member *holding[256];
    int n = 0;
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < s->n_routes; i++) {
        int seen = 0;
        for (int k = 0; k < n; k++) seen |= holding[k] == s->routes[i].member;
        if (!seen && n < 256) holding[n++] = s->routes[i].member;
    }
    pthread_mutex_unlock(&s->mu);
    jc_rv failure = JC_CKR_OK;
    Jhsm__V1__Response *answer = NULL;
    int64_t deadline = jc_now_ms() + s->conf.call_timeout_ms;
    for (int k = 0; k < n; k++) {
        jc_conn *c = jc_member_current(holding[k]);
        if (!c) continue; /* lost: its sessions went with the connection */
        Jhsm__V1__Response *r = NULL;
        jc_sent sent = jc_send(s, holding[k], c, req, deadline);
        jc_conn_unref(c);
        r = sent.resp;
        if (sent.rv != JC_CKR_OK) {
            failure = sent.rv;
        } else if (!answer || (r->rv != JC_CKR_OK && answer->rv == JC_CKR_OK)) {
            if (answer) jhsm__v1__response__free_unpacked(answer, NULL);
            answer = r;
            r = NULL;
        }
        if (r) jhsm__v1__response__free_unpacked(r, NULL);
    }
    if (n == 0) return jc_router_any(s, req, resp);
    pthread_mutex_lock(&s->mu);
    uint64_t *handles = malloc(sizeof(uint64_t) * (size_t) (s->n_routes + 1));
    int nh = s->n_routes;
    for (int i = 0; i < nh; i++) handles[i] = s->routes[i].handle;
    pthread_mutex_unlock(&s->mu);
    if (!answer || answer->rv == JC_CKR_OK) {
        for (int i = 0; i < nh; i++) remove_route(s, handles[i]);
    }
    free(handles);
    if (!answer && failure == JC_CKR_OK) answer = ok_answer();
    *resp = answer;
    return answer ? JC_CKR_OK : failure;
}

static int made_session_object(int f, const Jhsm__V1__Response *r) {
    switch (f) {
    case JHSM__V1__REQUEST__FUNCTION_CREATE_OBJECT: case JHSM__V1__REQUEST__FUNCTION_COPY_OBJECT:
    case JHSM__V1__REQUEST__FUNCTION_GENERATE_KEY: case JHSM__V1__REQUEST__FUNCTION_GENERATE_KEY_PAIR:
    case JHSM__V1__REQUEST__FUNCTION_UNWRAP_KEY: case JHSM__V1__REQUEST__FUNCTION_DERIVE_KEY:
    case JHSM__V1__REQUEST__FUNCTION_UNWRAP_KEY_AUTHENTICATED: case JHSM__V1__REQUEST__FUNCTION_ENCAPSULATE_KEY:
    case JHSM__V1__REQUEST__FUNCTION_DECAPSULATE_KEY: break;
    default: return 0;
    }
    if (r->rv != JC_CKR_OK) return 0;
    if (r->result_case == JHSM__V1__RESPONSE__RESULT_HANDLES && r->handles) {
        for (size_t i = 0; i < r->handles->n_handles; i++) if (r->handles->handles[i] >= SESSION_OBJECT_HANDLES) return 1;
        return 0;
    }
    return r->result_case == JHSM__V1__RESPONSE__RESULT_NUMBER && r->number >= SESSION_OBJECT_HANDLES;
}

jc_rv jc_router_call(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp) {
    int f = (int) req->function_case;
    switch (f) {
    case JHSM__V1__REQUEST__FUNCTION_OPEN_SESSION: return open_session(s, req, resp);
    case JHSM__V1__REQUEST__FUNCTION_CLOSE_SESSION: return close_session(s, req, resp);
    case JHSM__V1__REQUEST__FUNCTION_CLOSE_ALL_SESSIONS: return close_all(s, req, resp);
    case JHSM__V1__REQUEST__FUNCTION_LOGIN: return jc_logins_login(s, req, resp);
    case JHSM__V1__REQUEST__FUNCTION_LOGOUT: return jc_logins_logout(s, req, resp);
    default: break;
    }
    uint64_t *session = jc_req_session(req);
    if (!session) return jc_router_any(s, req, resp);
    jc_route r;
    jc_conn *c;
    jc_rv rv = jc_router_live(s, *session, f, &r, &c);
    if (rv != JC_CKR_OK) return rv;
    rv = jc_router_send(s, &r, c, req, jc_now_ms() + s->conf.call_timeout_ms, resp);
    jc_conn_unref(c);
    if (rv == JC_CKR_OK && made_session_object(f, *resp)) {
        pthread_mutex_lock(&r.member->mu);
        r.member->session_objects = 1;
        pthread_mutex_unlock(&r.member->mu);
    }
    if (rv == JC_CKR_OK && f == JHSM__V1__REQUEST__FUNCTION_SET_PIN && (*resp)->rv == JC_CKR_OK) {
        jc_logins_pin_changed(s, &req->set_pin->new_pin, req->set_pin->has_new_pin);
    }
    return rv;
}

void jc_router_clear(jc_net_state *s) {
    pthread_mutex_lock(&s->mu);
    free(s->routes);
    s->routes = NULL;
    s->n_routes = s->cap_routes = 0;
    pthread_mutex_unlock(&s->mu);
}
