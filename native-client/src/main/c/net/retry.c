/*
 * One call to one HSM: the request carries min_applied_index when this HSM reported less than the application has
 * seen (read-your-writes across HSMs, SessionRouter), and a throttled answer (HSM error 0xBB, the call did nothing)
 * is sent again as CloudHSM's client does in retry-mode standard ([UG]/pkcs11-library-configs-retry.html): up to
 * 3 retries 100, 200 and 400 ms apart plus up to half as much jitter, inside the call's own deadline.
 */
#include "jc_net_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RETRIES 3
#define FIRST_BACKOFF_MS 100

static uint8_t *pack(jc_net_state *s, jc_member *m, Jhsm__V1__Request *req, size_t *len) {
    uint64_t seen = __atomic_load_n(&s->seen_applied, __ATOMIC_RELAXED);
    pthread_mutex_lock(&m->mu);
    uint64_t applied = m->applied;
    pthread_mutex_unlock(&m->mu);
    protobuf_c_boolean had = req->has_min_applied_index;
    uint64_t was = req->min_applied_index;
    if (seen > applied) {
        req->has_min_applied_index = 1;
        req->min_applied_index = seen;
    }
    *len = protobuf_c_message_get_packed_size(&req->base);
    uint8_t *buf = malloc(*len ? *len : 1);
    protobuf_c_message_pack(&req->base, buf);
    req->has_min_applied_index = had; /* the caller's request, as it gave it */
    req->min_applied_index = was;
    return buf;
}

static void give_up(jc_net_state *s, jc_member *m, int f, jc_rv rv, int retries) {
    char fn[64], label[320];
    jc_function_name(f, fn, sizeof fn);
    jc_member_label(m, label, sizeof label);
    char what[120];
    if (!s->conf.retry_standard) snprintf(what, sizeof what, "not retried");
    else if (retries == RETRIES) snprintf(what, sizeof what, "still throttled after %d retries", RETRIES);
    else snprintf(what, sizeof what, "gave up after %d retries to stay within call-timeout-ms %lld", retries,
                  (long long) s->conf.call_timeout_ms);
    jc_log_problem(jc_net_rv_name(rv), "HSM %s throttled %s (HSM error 0xBB); %s (retry-mode=%s); the HSM has too many "
                   "requests: spread the load, add HSMs, or retry later%s", label, fn, what,
                   s->conf.retry_standard ? "standard" : "off",
                   s->conf.retry_standard ? "" : " (retry-mode = standard retries up to 3 times)");
}

/* The request never reached PKCS#11: end its operation as an error from the node would have (OperationEnds). */
static void end_operation(jc_net_state *s, jc_conn *c, Jhsm__V1__Request *refused) {
    uint64_t flags = jc_operation_ends((int) refused->function_case);
    uint64_t *session = jc_req_session(refused); /* already the node's handle */
    if (!flags || !session) return;
    Jhsm__V1__SessionNumber sn = JHSM__V1__SESSION_NUMBER__INIT;
    sn.has_session = sn.has_number = 1;
    sn.session = *session;
    sn.number = flags;
    Jhsm__V1__Request cancel = JHSM__V1__REQUEST__INIT;
    cancel.function_case = JHSM__V1__REQUEST__FUNCTION_SESSION_CANCEL;
    cancel.session_cancel = &sn;
    jc_grpc_result r;
    jc_grpc_call(c, "/jhsm.v1.Cryptoki/Call", &cancel.base, jc_now_ms() + s->conf.call_timeout_ms, &r);
    free(r.body); /* unreachable as well: the node ends the application's operations with its connection */
}

static jc_sent unreachable(jc_net_state *s, jc_member *m, jc_conn *c, int f, const jc_grpc_result *r) {
    jc_sent out = {jc_status_rv(r->status, f), NULL, r->status == JC_GRPC_UNAVAILABLE};
    char fn[64], label[320];
    jc_function_name(f, fn, sizeof fn);
    jc_member_label(m, label, sizeof label);
    jc_log_problem(jc_net_rv_name(out.rv), "%s to HSM %s: %s%s%s%s%s; %s", fn, label, jc_status_name(r->status),
                   r->message[0] ? " (" : "", r->message, r->message[0] ? ")" : "",
                   r->status == JC_GRPC_DEADLINE ? " within call-timeout-ms" : "", jc_status_advice(r->status));
    if (r->status == JC_GRPC_UNAVAILABLE || r->status == JC_GRPC_CANCELLED || r->status == JC_GRPC_DEADLINE) {
        jc_member_lost(s, m, c);
    }
    return out;
}

jc_sent jc_send(jc_net_state *s, jc_member *m, jc_conn *c, Jhsm__V1__Request *req, int64_t deadline) {
    int f = (int) req->function_case;
    size_t len;
    uint8_t *buf = pack(s, m, req, &len);
    jc_sent out = {JC_CKR_OK, NULL, 0};
    int retries = 0;
    int64_t backoff = FIRST_BACKOFF_MS;
    for (;;) {
        jc_grpc_result r;
        jc_conn_unary(c, "/jhsm.v1.Cryptoki/Call", buf, len, deadline, &r);
        if (r.status != JC_GRPC_OK) {
            free(buf);
            if (r.status == JC_GRPC_RESOURCE_EXHAUSTED) end_operation(s, c, req);
            return unreachable(s, m, c, f, &r);
        }
        out.resp = jhsm__v1__response__unpack(NULL, r.body_len, r.body);
        free(r.body);
        if (!out.resp) {
            jc_grpc_result bad = {.status = JC_GRPC_INTERNAL};
            snprintf(bad.message, sizeof bad.message, "the answer is not a jhsm.v1.Response");
            free(buf);
            return unreachable(s, m, c, f, &bad);
        }
        if (!out.resp->throttled || !s->conf.retry_standard || retries == RETRIES) break;
        int64_t pause = backoff + random() % (backoff / 2 + 1);
        if (jc_now_ms() + pause >= deadline) break;
        jc_sleep_ms(pause);
        retries++;
        backoff *= 2;
        jhsm__v1__response__free_unpacked(out.resp, NULL);
        out.resp = NULL;
    }
    free(buf);
    if (out.resp->throttled) give_up(s, m, f, out.resp->rv, retries);
    pthread_mutex_lock(&m->mu);
    if (m->conn == c) m->lost = 0;
    if (out.resp->applied_index > m->applied) m->applied = out.resp->applied_index;
    pthread_mutex_unlock(&m->mu);
    uint64_t seen = __atomic_load_n(&s->seen_applied, __ATOMIC_RELAXED);
    while (out.resp->applied_index > seen
           && !__atomic_compare_exchange_n(&s->seen_applied, &seen, out.resp->applied_index, 0, __ATOMIC_SEQ_CST,
                                           __ATOMIC_RELAXED)) {
    }
    return out;
}
