/*
 * The caller's buffers: input byte strings (NativeMem.input's rules), output buffers with the two-call
 * length protocol (OutputBuffer; the proto's Output comment), and CK_ULONG arrays (writeUlongArray).
 */
#include <string.h>
#include "jc_api.h"

CK_RV jc_input(const void *p, CK_ULONG len, CK_RV rv_if_huge, ProtobufCBinaryData *out) {
    if (p == NULL) {
        out->len = 0;
        out->data = NULL;
        return len == 0 ? CKR_OK : CKR_ARGUMENTS_BAD;
    }
    if (len > JC_MAX_ARRAY) {
        return rv_if_huge;
    }
    out->len = len;
    out->data = (uint8_t *) p;
    return CKR_OK;
}

CK_RV jc_optional_input(const void *p, CK_ULONG len, protobuf_c_boolean *has, ProtobufCBinaryData *out) {
    *has = p != NULL;
    return p == NULL ? CKR_OK : jc_input(p, len, CKR_ARGUMENTS_BAD, out);
}

CK_RV jc_out_prepare(jc_out *o, CK_BYTE *p, CK_ULONG *pul, Jhsm__V1__OutputBuffer **buffer) {
    Jhsm__V1__OutputBuffer init = JHSM__V1__OUTPUT_BUFFER__INIT;
    o->p = p;
    o->pul = pul;
    o->buffer = init;
    *buffer = NULL;
    if (pul == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    if (p != NULL) {
        SET(o->buffer, capacity, *pul);
        *buffer = &o->buffer;
    }
    return CKR_OK;
}

CK_RV jc_out_deliver(const char *fn, jc_out *o, CK_RV rv, const Resp *resp) {
    if (rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL) {
        return rv;
    }
    if (resp->result_case != JHSM__V1__RESPONSE__RESULT_OUTPUT || resp->output == NULL) {
        return jc_bad_answer(fn, "no output");
    }
    const Jhsm__V1__Output *out = resp->output;
    if (rv == CKR_OK && o->p != NULL) {
        if (out->data.len != out->length || out->length > *o->pul) {
            return jc_bad_answer(fn, "output bytes that do not match its length or the buffer");
        }
        if (out->length > 0) {
            memcpy(o->p, out->data.data, out->length);
        }
    }
    *o->pul = out->length;
    return rv;
}

CK_RV jc_ulongs_deliver(CK_ULONG *pArray, CK_ULONG *pulCount, const Resp *resp) {
    size_t n = 0;
    const uint64_t *values = NULL;
    if (resp->result_case == JHSM__V1__RESPONSE__RESULT_HANDLES && resp->handles != NULL) {
        n = resp->handles->n_handles;
        values = resp->handles->handles;
    }
    if (pArray != NULL) {
        if (*pulCount < n) {
            *pulCount = n;
            return CKR_BUFFER_TOO_SMALL;
        }
        for (size_t i = 0; i < n; i++) {
            pArray[i] = values[i];
        }
    }
    *pulCount = n;
    return CKR_OK;
}

void jc_put_ulong(CK_ULONG *p, uint64_t value) {
    *p = (CK_ULONG) value;
}
