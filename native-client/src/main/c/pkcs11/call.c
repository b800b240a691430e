/*
 * One PKCS#11 call to the node, and the arena that holds a request's nested messages until it is sent.
 */
#include <stdlib.h>
#include <string.h>
#include "jc_api.h"
#include "jc_log.h"
#include "rv.h"

struct jc_block {
    struct jc_block *next;
    max_align_t data[];
};

void *jc_alloc(jc_arena *a, size_t size) {
    struct jc_block *b = calloc(1, sizeof(struct jc_block) + size);
    if (b == NULL) {
        return NULL;
    }
    b->next = a->blocks;
    a->blocks = b;
    return b->data;
}

void jc_arena_free(jc_arena *a) {
    while (a->blocks != NULL) {
        struct jc_block *next = a->blocks->next;
        free(a->blocks);
        a->blocks = next;
    }
}

void jc_put(Req *req, Jhsm__V1__Request__FunctionCase function, void *msg) {
    req->function_case = function;
    req->get_info = (Jhsm__V1__Empty *) msg;
}

CK_RV jc_call(const char *fn, Req *req, Resp **resp) {
    *resp = NULL;
    CK_RV rv = jc_net_call(req, resp);
    if (rv != CKR_OK) {
        *resp = NULL;
        return rv;
    }
    if (*resp == NULL) {
        return jc_bad_answer(fn, "no answer");
    }
    rv = (*resp)->rv;
    /* The errors an application cannot act on from the CK_RV alone keep the node's reason (Guard.explainable). */
    if (jc_rv_explainable(rv)) {
        const char *why = (*resp)->message != NULL && (*resp)->message[0] != '\0' ? (*resp)->message : "no reason given";
        jc_log_problem(jc_rv_name(rv), "%s on the HSM: %s (see the HSM node's log)", fn, why);
    }
    return rv;
}

CK_RV jc_call_rv(const char *fn, Req *req) {
    Resp *resp;
    CK_RV rv = jc_call(fn, req, &resp);
    return jc_finish(resp, NULL, rv);
}

CK_RV jc_call_number(const char *fn, Req *req, CK_ULONG *out) {
    Resp *resp;
    CK_RV rv = jc_call(fn, req, &resp);
    if (rv == CKR_OK) {
        if (resp->result_case == JHSM__V1__RESPONSE__RESULT_NUMBER) {
            *out = resp->number;
        } else {
            rv = jc_bad_answer(fn, "no number");
        }
    }
    return jc_finish(resp, NULL, rv);
}

CK_RV jc_bad_answer(const char *fn, const char *what) {
    jc_log_problem("CKR_DEVICE_ERROR", "%s: the HSM node's answer has %s; check that the node and libjhsm-client.so "
                   "are of the same jhsm version", fn, what);
    return CKR_DEVICE_ERROR;
}

CK_RV jc_finish(Resp *resp, jc_arena *a, CK_RV rv) {
    if (resp != NULL) {
        jc_net_free(resp);
    }
    if (a != NULL) {
        jc_arena_free(a);
    }
    return rv;
}
