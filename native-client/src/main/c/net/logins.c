/*
 * The application's login across the cluster (Logins): each HSM connection is an application of its own on that
 * HSM, so C_Login logs in on the session's HSM first (its CK_RV is the answer), then on every other HSM the
 * application has sessions on, and on each HSM it opens (or re-opens) a session on later, as CloudHSM's application
 * logs in once per slot ([UG]/bp-application-integration.html). The PIN stays in memory for that, wiped at
 * C_Logout, C_Finalize and when the application's last session closes; never logged.
 */
#include "jc_net_int.h"

#include <stdlib.h>
#include <string.h>

static void wipe_locked(jc_net_state *s) {
    if (s->pin) {
        explicit_bzero(s->pin, s->pin_len);
        free(s->pin);
    }
    if (s->username) {
        explicit_bzero(s->username, s->username_len);
        free(s->username);
    }
    s->pin = s->username = NULL;
    s->pin_len = s->username_len = 0;
    s->has_pin = s->has_username = 0;
}

static uint8_t *copy(const uint8_t *b, size_t n) {
    uint8_t *c = malloc(n ? n : 1);
    if (n) memcpy(c, b, n);
    return c;
}

void jc_logins_forget(jc_net_state *s) {
    pthread_mutex_lock(&s->mu);
    s->login_active = 0;
    wipe_locked(s);
    pthread_mutex_unlock(&s->mu);
    jc_member *ms[256];
    int n = jc_state_members(s, ms, 256);
    for (int i = 0; i < n; i++) jc_member_set_login(ms[i], 0);
}

void jc_logins_pin_changed(jc_net_state *s, const ProtobufCBinaryData *new_pin, int has) {
    pthread_mutex_lock(&s->mu);
    if (s->login_active && has) {
        if (s->pin) { /* the username stays: only the PIN changed */
            explicit_bzero(s->pin, s->pin_len);
            free(s->pin);
        }
        s->pin = copy(new_pin->data, new_pin->len);
        s->pin_len = new_pin->len;
        s->has_pin = 1;
    }
    pthread_mutex_unlock(&s->mu);
}

int jc_logins_join(jc_net_state *s, jc_member *m, jc_conn *c, uint64_t node, int64_t deadline) {
    Jhsm__V1__Login l = JHSM__V1__LOGIN__INIT;
    pthread_mutex_lock(&s->mu);
    if (!s->login_active) {
        pthread_mutex_unlock(&s->mu);
        return 1;
    }
    l.has_session = l.has_user_type = 1;
    l.session = node;
    l.user_type = s->login_type;
    l.has_pin = s->has_pin;
    l.pin = (ProtobufCBinaryData) {s->pin_len, s->has_pin ? copy(s->pin, s->pin_len) : NULL};
    l.has_username = s->has_username;
    l.username = (ProtobufCBinaryData) {s->username_len, s->has_username ? copy(s->username, s->username_len) : NULL};
    pthread_mutex_unlock(&s->mu);
    int ok = jc_member_logged_in(m, jc_conn_epoch(c));
    if (!ok) {
        Jhsm__V1__Request req = JHSM__V1__REQUEST__INIT;
        req.function_case = JHSM__V1__REQUEST__FUNCTION_LOGIN;
        req.login = &l;
        jc_sent sent = jc_send(s, m, c, &req, deadline);
        jc_rv rv = sent.rv != JC_CKR_OK ? sent.rv : sent.resp->rv;
        ok = rv == JC_CKR_OK || rv == JC_CKR_USER_ALREADY_LOGGED_IN;
        if (ok) {
            jc_member_set_login(m, jc_conn_epoch(c));
        } else {
            char label[320];
            jc_member_label(m, label, sizeof label);
            pthread_mutex_lock(&m->mu);
            m->login_refused = 1;
            pthread_mutex_unlock(&m->mu);
            const char *why = sent.resp && sent.resp->message && *sent.resp->message ? sent.resp->message : NULL;
            jc_log_problem(jc_net_rv_name(rv), "C_Login on HSM %s answered %s%s%s%s where the application's first HSM "
                           "answered CKR_OK; the application stays logged out there and gets no sessions on it; check "
                           "the HSM is in sync: jhsm cluster status", label, jc_net_rv_name(rv), why ? " (" : "",
                           why ? why : "", why ? ")" : "");
        }
        if (sent.resp) jhsm__v1__response__free_unpacked(sent.resp, NULL);
    }
    if (l.pin.data) explicit_bzero(l.pin.data, l.pin.len);
    free(l.pin.data);
    if (l.username.data) explicit_bzero(l.username.data, l.username.len);
    free(l.username.data);
    return ok;
}

typedef void (*on_hsm)(jc_net_state *s, jc_member *m, jc_conn *c, const jc_route *live, int64_t deadline);

/* Every HSM but `first` on which the application has a live session: the login's or logout's followers. */
static void each_other_hsm(jc_net_state *s, jc_member *first, int64_t deadline, on_hsm fn) {
    jc_member *ms[256];
    int n = jc_state_members(s, ms, 256);
    for (int i = 0; i < n; i++) {
        jc_route o;
        jc_conn *oc;
        if (ms[i] != first && jc_router_any_on(s, ms[i], &o, &oc)) {
            fn(s, ms[i], oc, &o, deadline);
            jc_conn_unref(oc);
        }
    }
}

static void join_there(jc_net_state *s, jc_member *m, jc_conn *c, const jc_route *live, int64_t deadline) {
    jc_logins_join(s, m, c, live->node_handle, deadline);
}

static void logout_there(jc_net_state *s, jc_member *m, jc_conn *c, const jc_route *live, int64_t deadline) {
    if (jc_member_logged_in(m, live->epoch)) {
        jc_router_session_call(s, m, c, JHSM__V1__REQUEST__FUNCTION_LOGOUT, live->node_handle, deadline);
    }
}

jc_rv jc_logins_login(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp) {
    Jhsm__V1__Login *l = req->login;
    jc_route r;
    jc_conn *c;
    jc_rv rv = jc_router_live(s, l->session, (int) req->function_case, &r, &c);
    if (rv != JC_CKR_OK) return rv;
    int64_t deadline = jc_now_ms() + s->conf.call_timeout_ms; /* C_Login, on every HSM, within one call-timeout-ms */
    rv = jc_router_send(s, &r, c, req, deadline, resp);
    if (rv != JC_CKR_OK || (*resp)->rv != JC_CKR_OK || l->user_type == JC_CKU_CONTEXT_SPECIFIC) {
        jc_conn_unref(c); /* a context-specific login belongs to the one operation on that session's HSM */
        return rv;
    }
    jc_member_set_login(r.member, r.epoch);
    pthread_mutex_lock(&s->mu);
    wipe_locked(s);
    s->login_type = l->user_type;
    s->has_pin = l->has_pin;
    if (l->has_pin) s->pin = copy(l->pin.data, s->pin_len = l->pin.len);
    s->has_username = l->has_username;
    if (l->has_username) s->username = copy(l->username.data, s->username_len = l->username.len);
    s->login_active = 1;
    pthread_mutex_unlock(&s->mu);
    jc_conn_unref(c);
    each_other_hsm(s, r.member, deadline, join_there);
    return rv;
}

jc_rv jc_logins_logout(jc_net_state *s, Jhsm__V1__Request *req, Jhsm__V1__Response **resp) {
    jc_route r;
    jc_conn *c;
    jc_rv rv = jc_router_live(s, req->logout->session, (int) req->function_case, &r, &c);
    if (rv != JC_CKR_OK) return rv;
    int64_t deadline = jc_now_ms() + s->conf.call_timeout_ms;
    rv = jc_router_send(s, &r, c, req, deadline, resp);
    jc_conn_unref(c);
    if (rv != JC_CKR_OK || (*resp)->rv != JC_CKR_OK) return rv;
    jc_member_set_login(r.member, 0);
    each_other_hsm(s, r.member, deadline, logout_there);
    jc_logins_forget(s);
    return rv;
}
