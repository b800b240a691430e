/*
 * CK_INFO, CK_SLOT_INFO, CK_TOKEN_INFO, CK_SESSION_INFO and CK_MECHANISM_INFO from the node's answers (the
 * bridge's InfoCodec): fixed-width text fields are blank-padded UTF-8, not NUL-terminated (PaddedString).
 */
#include <string.h>
#include "jc_api.h"
#include "functions.h"

void jc_padded(CK_UTF8CHAR *field, size_t width, const char *s) {
    memset(field, ' ', width);
    size_t n = s == NULL ? 0 : strlen(s);
    if (n > width) {
        n = width;
        while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80) {
            n--; /* a cut falls before a UTF-8 sequence starts, never inside one */
        }
    }
    if (n > 0) {
        memcpy(field, s, n);
    }
}

static void version(CK_VERSION *v, const Jhsm__V1__Version *from) {
    v->major = from == NULL ? 0 : (CK_BYTE) from->major;
    v->minor = from == NULL ? 0 : (CK_BYTE) from->minor;
}

/* One call answered by one info message: the request built by the caller, the answer checked here. */
static CK_RV info_call(const char *fn, Req *req, Jhsm__V1__Response__ResultCase expected, Resp **resp) {
    CK_RV rv = jc_call(fn, req, resp);
    if (rv == CKR_OK && ((*resp)->result_case != expected || (*resp)->info == NULL)) {
        rv = jc_bad_answer(fn, "no information structure");
    }
    return rv;
}


CK_RV C_GetInfo(CK_INFO *pInfo) {
    JC_REQUIRE_INIT();
    if (pInfo == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__Empty e = JHSM__V1__EMPTY__INIT;
    jc_put(&req, FN(GET_INFO), &e);
    Resp *resp;
    CK_RV rv = info_call("C_GetInfo", &req, JHSM__V1__RESPONSE__RESULT_INFO, &resp);
    if (rv == CKR_OK) {
        const Jhsm__V1__Info *i = resp->info;
        version(&pInfo->cryptokiVersion, i->cryptoki_version);
        jc_padded(pInfo->manufacturerID, 32, i->manufacturer_id);
        pInfo->flags = i->flags;
        jc_padded(pInfo->libraryDescription, 32, i->library_description);
        version(&pInfo->libraryVersion, i->library_version);
    }
    return jc_finish(resp, NULL, rv);
}

static CK_RV slot_request(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_SLOT_ID slot,
                          Jhsm__V1__Response__ResultCase expected, Resp **resp) {
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__Slot s = JHSM__V1__SLOT__INIT;
    SET(s, slot, slot);
    jc_put(&req, f, &s);
    return info_call(fn, &req, expected, resp);
}

CK_RV C_GetSlotInfo(CK_ULONG slot, CK_SLOT_INFO *pInfo) {
    JC_REQUIRE_INIT();
    if (pInfo == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Resp *resp;
    CK_RV rv = slot_request("C_GetSlotInfo", FN(GET_SLOT_INFO), slot, JHSM__V1__RESPONSE__RESULT_SLOT_INFO, &resp);
    if (rv == CKR_OK) {
        const Jhsm__V1__SlotInfo *i = resp->slot_info;
        jc_padded(pInfo->slotDescription, 64, i->slot_description);
        jc_padded(pInfo->manufacturerID, 32, i->manufacturer_id);
        pInfo->flags = i->flags;
        version(&pInfo->hardwareVersion, i->hardware_version);
        version(&pInfo->firmwareVersion, i->firmware_version);
    }
    return jc_finish(resp, NULL, rv);
}

CK_RV C_GetTokenInfo(CK_ULONG slot, CK_TOKEN_INFO *pInfo) {
    JC_REQUIRE_INIT();
    if (pInfo == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Resp *resp;
    CK_RV rv = slot_request("C_GetTokenInfo", FN(GET_TOKEN_INFO), slot, JHSM__V1__RESPONSE__RESULT_TOKEN_INFO, &resp);
    if (rv == CKR_OK) {
        const Jhsm__V1__TokenInfo *t = resp->token_info;
        jc_padded(pInfo->label, 32, t->label);
        jc_padded(pInfo->manufacturerID, 32, t->manufacturer_id);
        jc_padded(pInfo->model, 16, t->model);
        jc_padded(pInfo->serialNumber, 16, t->serial_number);
        pInfo->flags = t->flags;
        pInfo->ulMaxSessionCount = t->max_session_count;
        pInfo->ulSessionCount = t->session_count;
        pInfo->ulMaxRwSessionCount = t->max_rw_session_count;
        pInfo->ulRwSessionCount = t->rw_session_count;
        pInfo->ulMaxPinLen = t->max_pin_len;
        pInfo->ulMinPinLen = t->min_pin_len;
        pInfo->ulTotalPublicMemory = t->total_public_memory;
        pInfo->ulFreePublicMemory = t->free_public_memory;
        pInfo->ulTotalPrivateMemory = t->total_private_memory;
        pInfo->ulFreePrivateMemory = t->free_private_memory;
        version(&pInfo->hardwareVersion, t->hardware_version);
        version(&pInfo->firmwareVersion, t->firmware_version);
        jc_padded(pInfo->utcTime, 16, t->utc_time);
    }
    return jc_finish(resp, NULL, rv);
}

CK_RV C_GetMechanismInfo(CK_ULONG slot, CK_ULONG type, CK_MECHANISM_INFO *pInfo) {
    JC_REQUIRE_INIT();
    if (pInfo == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__GetMechanismInfo g = JHSM__V1__GET_MECHANISM_INFO__INIT;
    SET(g, slot, slot);
    SET(g, mechanism, type);
    jc_put(&req, FN(GET_MECHANISM_INFO), &g);
    Resp *resp;
    CK_RV rv = info_call("C_GetMechanismInfo", &req, JHSM__V1__RESPONSE__RESULT_MECHANISM_INFO, &resp);
    if (rv == CKR_OK) {
        pInfo->ulMinKeySize = resp->mechanism_info->min_key_size;
        pInfo->ulMaxKeySize = resp->mechanism_info->max_key_size;
        pInfo->flags = resp->mechanism_info->flags;
    }
    return jc_finish(resp, NULL, rv);
}

CK_RV C_GetSessionInfo(CK_ULONG h, CK_SESSION_INFO *pInfo) {
    JC_REQUIRE_INIT();
    if (pInfo == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__Session s = JHSM__V1__SESSION__INIT;
    SET(s, session, h);
    jc_put(&req, FN(GET_SESSION_INFO), &s);
    Resp *resp;
    CK_RV rv = info_call("C_GetSessionInfo", &req, JHSM__V1__RESPONSE__RESULT_SESSION_INFO, &resp);
    if (rv == CKR_OK) {
        pInfo->slotID = resp->session_info->slot;
        pInfo->state = resp->session_info->state;
        pInfo->flags = resp->session_info->flags;
        pInfo->ulDeviceError = resp->session_info->device_error;
    }
    return jc_finish(resp, NULL, rv);
}
