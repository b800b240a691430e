/*
 * Field reads from a mechanism parameter struct at its LP64 offsets (CK_ULONG and pointers 8 bytes,
 * CK_BBOOL 1 byte then padding), the bridge's ParamStruct. Every bad value is CKR_MECHANISM_PARAM_INVALID.
 */
#ifndef JC_PARAM_STRUCT_H
#define JC_PARAM_STRUCT_H

#include <string.h>
#include "jc_api.h"

static inline CK_ULONG ps_ulong(const void *s, size_t off) {
    CK_ULONG v;
    memcpy(&v, (const char *) s + off, sizeof(v));
    return v;
}

static inline void *ps_ptr(const void *s, size_t off) {
    void *v;
    memcpy(&v, (const char *) s + off, sizeof(v));
    return v;
}

static inline int ps_bbool(const void *s, size_t off) {
    return ((const CK_BYTE *) s)[off] != 0;
}

/* (pointer, length): NULL with 0 is empty; NULL with a length, or a length beyond any buffer, is refused. */
static inline CK_RV ps_bytes_at(const void *p, CK_ULONG len, ProtobufCBinaryData *out) {
    if ((p == NULL && len != 0) || len > JC_MAX_ARRAY) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    out->data = (uint8_t *) p;
    out->len = p == NULL ? 0 : len;
    return CKR_OK;
}

static inline CK_RV ps_bytes(const void *s, size_t ptr_off, size_t len_off, ProtobufCBinaryData *out) {
    return ps_bytes_at(ps_ptr(s, ptr_off), ps_ulong(s, len_off), out);
}

/* An array embedded in the struct, e.g. CK_BYTE iv[16]. */
static inline void ps_inline(const void *s, size_t off, size_t len, ProtobufCBinaryData *out) {
    out->data = (uint8_t *) s + off;
    out->len = len;
}

#endif
