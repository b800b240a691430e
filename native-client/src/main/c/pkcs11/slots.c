/* Slot and token functions that are not info structures: lists, C_InitToken, C_WaitForSlotEvent, and the
 * legacy parallel-function calls. */
#include "jc_api.h"
#include "functions.h"

#define CKR_FUNCTION_NOT_PARALLEL 0x051UL
#define LABEL_SIZE 32 /* CK_UTF8CHAR label[32] of C_InitToken */

static CK_RV ulongs(const char *fn, Req *req, CK_ULONG *pArray, CK_ULONG *pulCount) {
    Resp *resp;
    CK_RV rv = jc_call(fn, req, &resp);
    if (rv == CKR_OK) {
        rv = resp->result_case == JHSM__V1__RESPONSE__RESULT_HANDLES ? jc_ulongs_deliver(pArray, pulCount, resp)
                                                                     : jc_bad_answer(fn, "no list");
    }
    return jc_finish(resp, NULL, rv);
}

CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_ULONG *pSlotList, CK_ULONG *pulCount) {
    JC_REQUIRE_INIT();
    if (pulCount == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__GetSlotList g = JHSM__V1__GET_SLOT_LIST__INIT;
    SET(g, token_present, tokenPresent != 0);
    jc_put(&req, FN(GET_SLOT_LIST), &g);
    return ulongs("C_GetSlotList", &req, pSlotList, pulCount);
}

CK_RV C_GetMechanismList(CK_ULONG slot, CK_ULONG *pList, CK_ULONG *pulCount) {
    JC_REQUIRE_INIT();
    if (pulCount == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__Slot s = JHSM__V1__SLOT__INIT;
    SET(s, slot, slot);
    jc_put(&req, FN(GET_MECHANISM_LIST), &s);
    return ulongs("C_GetMechanismList", &req, pList, pulCount);
}

CK_RV C_CloseAllSessions(CK_ULONG slot) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__Slot s = JHSM__V1__SLOT__INIT;
    SET(s, slot, slot);
    jc_put(&req, FN(CLOSE_ALL_SESSIONS), &s);
    return jc_call_rv("C_CloseAllSessions", &req);
}

CK_RV C_InitToken(CK_ULONG slot, CK_BYTE *pPin, CK_ULONG ulPinLen, CK_BYTE *pLabel) {
    JC_REQUIRE_INIT();
    if (pLabel == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__InitToken t = JHSM__V1__INIT_TOKEN__INIT;
    SET(t, slot, slot);
    CK_RV rv = jc_optional_input(pPin, ulPinLen, &t.has_so_pin, &t.so_pin);
    if (rv != CKR_OK) {
        return rv;
    }
    t.label.data = pLabel;
    t.label.len = LABEL_SIZE;
    t.has_label = 1;
    jc_put(&req, FN(INIT_TOKEN), &t);
    return jc_call_rv("C_InitToken", &req);
}

/* A node has no removable tokens, so no slot event ever happens: the non-blocking form asks the node
 * (CKR_NO_EVENT), the blocking one waits until C_Finalize, as the Java client does. */
CK_RV C_WaitForSlotEvent(CK_ULONG flags, CK_ULONG *pSlot, void *pReserved) {
    JC_REQUIRE_INIT();
    if (pSlot == NULL || pReserved != NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    if ((flags & CKF_DONT_BLOCK) == 0) {
        return jc_wait_until_finalized();
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__WaitForSlotEvent w = JHSM__V1__WAIT_FOR_SLOT_EVENT__INIT;
    SET(w, flags, flags);
    jc_put(&req, FN(WAIT_FOR_SLOT_EVENT), &w);
    return jc_call_number("C_WaitForSlotEvent", &req, pSlot);
}

/* Legacy functions (PKCS#11 5.20): no function runs in parallel. */
CK_RV C_GetFunctionStatus(CK_ULONG h) {
    JC_REQUIRE_INIT();
    return CKR_FUNCTION_NOT_PARALLEL;
}

CK_RV C_CancelFunction(CK_ULONG h) {
    JC_REQUIRE_INIT();
    return CKR_FUNCTION_NOT_PARALLEL;
}
