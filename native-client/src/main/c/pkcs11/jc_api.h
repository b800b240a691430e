/*
 * What the C_ functions share: the initialised flag, one call to the node (jc_net_call), a per-call
 * arena for the request's nested messages, and the C argument rules of the Java bridge (Guard,
 * NativeMem, OutputBuffer, OperationCall): every pointer and length is checked here, before any
 * network traffic, and answers the CK_RV the bridge answers.
 */
#ifndef JC_API_H
#define JC_API_H

#include <stddef.h>
#include "jc_pkcs11.h"
#include "jc_net.h"

/* protoc-c's INIT macros initialise unions without inner braces. */
#pragma GCC diagnostic ignored "-Wmissing-braces"

typedef Jhsm__V1__Request Req;
typedef Jhsm__V1__Response Resp;

#define FN(CASE) JHSM__V1__REQUEST__FUNCTION_##CASE
#define SET(msg, field, value) ((msg).has_##field = 1, (msg).field = (value))

/* ---- lifecycle.c */
int jc_initialized(void);
#define JC_REQUIRE_INIT()                         \
    do {                                          \
        if (!jc_initialized())                    \
            return CKR_CRYPTOKI_NOT_INITIALIZED;  \
    } while (0)
/* C_WaitForSlotEvent without CKF_DONT_BLOCK: no slot event ever happens on a node, so wait for C_Finalize. */
CK_RV jc_wait_until_finalized(void);

/* ---- arena.c: every nested message of one request, freed together after the call */
typedef struct jc_arena { struct jc_block *blocks; } jc_arena;
void *jc_alloc(jc_arena *a, size_t size); /* zeroed; NULL when out of memory */
void jc_arena_free(jc_arena *a);

/* ---- call.c */
/* Puts msg into the request's oneof: every member of the union is a pointer at the same address. */
void jc_put(Req *req, Jhsm__V1__Request__FunctionCase function, void *msg);
/* One call: the transport's CK_RV when the node was not reached (*resp NULL), else the function's
 * CK_RV (resp->rv) with *resp kept for the caller, who frees it with jc_net_free. */
CK_RV jc_call(const char *fn, Req *req, Resp **resp);
/* A call whose answer carries nothing but its CK_RV. */
CK_RV jc_call_rv(const char *fn, Req *req);
/* A call answered with Response.number, written to *out (already checked non-NULL). */
CK_RV jc_call_number(const char *fn, Req *req, CK_ULONG *out);
/* Frees what a call used (resp may be NULL) and returns rv: the common end of a C_ function. */
CK_RV jc_finish(Resp *resp, jc_arena *a, CK_RV rv);
/* In a C_ function with `CK_RV rv` and a `done:` label: stop at the first argument error. */
#define JC_CHECK(expr)               \
    do {                             \
        if ((rv = (expr)) != CKR_OK) \
            goto done;               \
    } while (0)
/* An answer that does not have the shape the protocol promises: one log line, CKR_DEVICE_ERROR. */
CK_RV jc_bad_answer(const char *fn, const char *what);

/* ---- input.c: (pData, ulDataLen) pairs, the bridge's NativeMem rules */
#define JC_MAX_ARRAY 0x7FFFFFF7UL /* the largest input the bridge accepts (a Java array) */
/* NULL with a length: CKR_ARGUMENTS_BAD; NULL with 0: empty; longer than JC_MAX_ARRAY: rv_if_huge. */
CK_RV jc_input(const void *p, CK_ULONG len, CK_RV rv_if_huge, ProtobufCBinaryData *out);
/* A PIN or user name: NULL is "not given" (*has = 0) whatever the length. */
CK_RV jc_optional_input(const void *p, CK_ULONG len, protobuf_c_boolean *has, ProtobufCBinaryData *out);

/* The two-call protocol for (pOut, pulOutLen): the request's OutputBuffer, absent for a length query. */
typedef struct jc_out {
    CK_BYTE *p;
    CK_ULONG *pul;
    Jhsm__V1__OutputBuffer buffer;
} jc_out;
/* CKR_ARGUMENTS_BAD when pulOutLen is NULL; else *buffer is what the request carries (NULL: a query). */
CK_RV jc_out_prepare(jc_out *o, CK_BYTE *p, CK_ULONG *pul, Jhsm__V1__OutputBuffer **buffer);
/* After the call: CKR_OK copies the bytes and sets *pulOutLen; CKR_BUFFER_TOO_SMALL sets the length needed. */
CK_RV jc_out_deliver(const char *fn, jc_out *o, CK_RV rv, const Resp *resp);
/* A CK_ULONG array answer (slot and mechanism lists) with the same protocol. */
CK_RV jc_ulongs_deliver(CK_ULONG *pArray, CK_ULONG *pulCount, const Resp *resp);
void jc_put_ulong(CK_ULONG *p, uint64_t value);

/* ---- ends.c: an error found here ends the active operation as the node's would (PKCS#11 5.2) */
enum {
    JC_END_ENCRYPT = 1, JC_END_DECRYPT = 2, JC_END_DIGEST = 4, JC_END_SIGN = 8, JC_END_VERIFY = 16,
    JC_END_SIGN_RECOVER = 32, JC_END_VERIFY_RECOVER = 64, JC_END_VERIFY_SIGNATURE = 128,
};
CK_RV jc_ending(CK_SESSION_HANDLE h, unsigned ends, CK_RV rv);

/* ---- template.c */
CK_RV jc_template(jc_arena *a, const CK_ATTRIBUTE *t, CK_ULONG count, Jhsm__V1__Attribute ***out, size_t *n);

/* ---- mechparams.c: CK_MECHANISM into Mechanism, with what must go back to the caller afterwards */
#define JC_MAX_DERIVED_KEYS 64
typedef struct jc_mech {
    Jhsm__V1__Mechanism *msg;      /* NULL: pMechanism was NULL */
    CK_BYTE *gcm_iv;               /* CK_GCM_PARAMS' pIv (a cloudhsm token fills it), or NULL */
    size_t gcm_iv_len;
    size_t n_derived;              /* SP 800-108 additional derived keys: where each handle goes */
    CK_ULONG *derived[JC_MAX_DERIVED_KEYS];
} jc_mech;
/* pMechanism NULL: CKR_ARGUMENTS_BAD unless optional (m->msg stays NULL). */
CK_RV jc_mechanism(jc_arena *a, const CK_MECHANISM *pMechanism, int optional, jc_mech *m);
/* A mechanism and a template, the arguments of most key functions, into their request fields. */
CK_RV jc_mech_template(jc_arena *a, const CK_MECHANISM *pMech, jc_mech *m, Jhsm__V1__Mechanism **mech,
                       const CK_ATTRIBUTE *t, CK_ULONG count, Jhsm__V1__Attribute ***list, size_t *n);
/* The node's CK_GCM_PARAMS back into the caller's pIv, only where it changed. */
void jc_mech_iv_back(const jc_mech *m, const Resp *resp);
/* Copies a returned array into the caller's, as far as both go and only when it differs. */
void jc_copy_changed(CK_BYTE *to, size_t to_len, const ProtobufCBinaryData *from);

/* ---- info.c: blank-padded fixed-width UTF-8 fields, cut at a character boundary */
void jc_padded(CK_UTF8CHAR *field, size_t width, const char *s);

#endif
