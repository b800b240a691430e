/*
 * The functions that share an argument shape share one marshaller; each C_ function is one line of a
 * table below. Local argument errors of a function that continues an operation end that operation
 * (ends.c), as the bridge's OperationCall does.
 */
#include "jc_api.h"
#include "functions.h"

/* (hSession): C_CloseSession, C_Logout, the Final functions that return nothing. */
static CK_RV session_only(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_SESSION_HANDLE h) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__Session s = JHSM__V1__SESSION__INIT;
    SET(s, session, h);
    jc_put(&req, f, &s);
    return jc_call_rv(fn, &req);
}

/* (hSession, hObject): C_DestroyObject, C_DigestKey. */
static CK_RV session_object(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SessionObject s = JHSM__V1__SESSION_OBJECT__INIT;
    SET(s, session, h);
    SET(s, object, o);
    jc_put(&req, f, &s);
    return jc_call_rv(fn, &req);
}

/* (hSession, pData, ulDataLen): the Update functions that return nothing, C_VerifyFinal, C_SeedRandom. */
static CK_RV session_bytes(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_SESSION_HANDLE h, CK_BYTE *p,
                           CK_ULONG len, CK_RV rv_if_huge, unsigned ends) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SessionBytes s = JHSM__V1__SESSION_BYTES__INIT;
    SET(s, session, h);
    CK_RV rv = jc_input(p, len, rv_if_huge, &s.data);
    if (rv != CKR_OK) {
        return jc_ending(h, ends, rv);
    }
    s.has_data = 1;
    jc_put(&req, f, &s);
    return jc_call_rv(fn, &req);
}

/* (hSession, pOut, pulOutLen): the Final functions that return bytes, C_GetOperationState. */
static CK_RV session_output(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_SESSION_HANDLE h, CK_BYTE *pOut,
                            CK_ULONG *pulOut, unsigned ends) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__SessionOutput s = JHSM__V1__SESSION_OUTPUT__INIT;
    jc_out out;
    SET(s, session, h);
    CK_RV rv = jc_out_prepare(&out, pOut, pulOut, &s.out);
    if (rv != CKR_OK) {
        return jc_ending(h, ends, rv);
    }
    jc_put(&req, f, &s);
    Resp *resp;
    rv = jc_call(fn, &req, &resp);
    rv = jc_out_deliver(fn, &out, rv, resp);
    return jc_finish(resp, NULL, rv);
}

/* (hSession, pIn, ulInLen, pOut, pulOutLen): single-part functions and the Updates that return bytes. */
static CK_RV crypt(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_SESSION_HANDLE h, CK_BYTE *pIn, CK_ULONG ulIn,
                   CK_RV rv_if_huge, CK_BYTE *pOut, CK_ULONG *pulOut, unsigned ends) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__Crypt c = JHSM__V1__CRYPT__INIT;
    jc_out out;
    SET(c, session, h);
    CK_RV rv = jc_input(pIn, ulIn, rv_if_huge, &c.input);
    if (rv == CKR_OK) {
        rv = jc_out_prepare(&out, pOut, pulOut, &c.out);
    }
    if (rv != CKR_OK) {
        return jc_ending(h, ends, rv);
    }
    c.has_input = 1;
    jc_put(&req, f, &c);
    Resp *resp;
    rv = jc_call(fn, &req, &resp);
    rv = jc_out_deliver(fn, &out, rv, resp);
    return jc_finish(resp, NULL, rv);
}

/* (hSession, pMechanism, hKey): every *Init; a NULL pMechanism ends the active operation. C_EncryptInit
 * copies a cloudhsm token's generated GCM IV back into the caller's CK_GCM_PARAMS (GcmIvWriteBack). */
static CK_RV operation_init(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_SESSION_HANDLE h, CK_MECHANISM *pMech,
                            CK_OBJECT_HANDLE key) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__OperationInit op = JHSM__V1__OPERATION_INIT__INIT;
    jc_arena arena = {0};
    jc_mech m;
    SET(op, session, h);
    SET(op, key, key);
    CK_RV rv = jc_mechanism(&arena, pMech, 1, &m);
    if (rv == CKR_OK) {
        op.mechanism = m.msg;
        jc_put(&req, f, &op);
        Resp *resp;
        rv = jc_call(fn, &req, &resp);
        if (rv == CKR_OK && f == FN(ENCRYPT_INIT)) {
            jc_mech_iv_back(&m, resp);
        }
        if (resp != NULL) {
            jc_net_free(resp);
        }
    }
    jc_arena_free(&arena);
    return rv;
}

#define END_ENC JC_END_ENCRYPT
#define END_DEC JC_END_DECRYPT
#define END_DIG JC_END_DIGEST
#define END_SIG JC_END_SIGN
#define END_VER JC_END_VERIFY
#define END_VSIG JC_END_VERIFY_SIGNATURE
#define DATA CKR_DATA_LEN_RANGE
#define ENCRYPTED CKR_ENCRYPTED_DATA_LEN_RANGE
#define SIGNATURE CKR_SIGNATURE_LEN_RANGE

#define SESSION_ONLY(X) \
    X(C_CloseSession, CLOSE_SESSION) \
    X(C_Logout, LOGOUT) \
    X(C_FindObjectsFinal, FIND_OBJECTS_FINAL) \
    X(C_VerifySignatureFinal, VERIFY_SIGNATURE_FINAL) \
    X(C_MessageEncryptFinal, MESSAGE_ENCRYPT_FINAL) \
    X(C_MessageDecryptFinal, MESSAGE_DECRYPT_FINAL) \
    X(C_MessageSignFinal, MESSAGE_SIGN_FINAL) \
    X(C_MessageVerifyFinal, MESSAGE_VERIFY_FINAL)

#define SESSION_OBJECT(X) \
    X(C_DestroyObject, DESTROY_OBJECT) \
    X(C_DigestKey, DIGEST_KEY)

#define SESSION_BYTES(X) \
    X(C_DigestUpdate, DIGEST_UPDATE, DATA, END_DIG) \
    X(C_SignUpdate, SIGN_UPDATE, DATA, END_SIG) \
    X(C_VerifyUpdate, VERIFY_UPDATE, DATA, END_VER) \
    X(C_VerifyFinal, VERIFY_FINAL, SIGNATURE, END_VER) \
    X(C_VerifySignature, VERIFY_SIGNATURE, DATA, END_VSIG) \
    X(C_VerifySignatureUpdate, VERIFY_SIGNATURE_UPDATE, DATA, END_VSIG) \
    X(C_SeedRandom, SEED_RANDOM, CKR_ARGUMENTS_BAD, 0)

#define SESSION_OUTPUT(X) \
    X(C_EncryptFinal, ENCRYPT_FINAL, END_ENC) \
    X(C_DecryptFinal, DECRYPT_FINAL, END_DEC) \
    X(C_DigestFinal, DIGEST_FINAL, END_DIG) \
    X(C_SignFinal, SIGN_FINAL, END_SIG) \
    X(C_GetOperationState, GET_OPERATION_STATE, 0)

#define CRYPT(X) \
    X(C_Encrypt, ENCRYPT, DATA, END_ENC) \
    X(C_EncryptUpdate, ENCRYPT_UPDATE, DATA, END_ENC) \
    X(C_Decrypt, DECRYPT, ENCRYPTED, END_DEC) \
    X(C_DecryptUpdate, DECRYPT_UPDATE, ENCRYPTED, END_DEC) \
    X(C_Digest, DIGEST, DATA, END_DIG) \
    X(C_Sign, SIGN, DATA, END_SIG) \
    X(C_SignRecover, SIGN_RECOVER, DATA, JC_END_SIGN_RECOVER) \
    X(C_VerifyRecover, VERIFY_RECOVER, SIGNATURE, JC_END_VERIFY_RECOVER) \
    X(C_DigestEncryptUpdate, DIGEST_ENCRYPT_UPDATE, DATA, END_DIG | END_ENC) \
    X(C_DecryptDigestUpdate, DECRYPT_DIGEST_UPDATE, ENCRYPTED, END_DEC | END_DIG) \
    X(C_SignEncryptUpdate, SIGN_ENCRYPT_UPDATE, DATA, END_SIG | END_ENC) \
    X(C_DecryptVerifyUpdate, DECRYPT_VERIFY_UPDATE, ENCRYPTED, END_DEC | END_VER)

#define OPERATION_INIT(X) \
    X(C_EncryptInit, ENCRYPT_INIT) \
    X(C_DecryptInit, DECRYPT_INIT) \
    X(C_SignInit, SIGN_INIT) \
    X(C_SignRecoverInit, SIGN_RECOVER_INIT) \
    X(C_VerifyInit, VERIFY_INIT) \
    X(C_VerifyRecoverInit, VERIFY_RECOVER_INIT) \
    X(C_MessageEncryptInit, MESSAGE_ENCRYPT_INIT) \
    X(C_MessageDecryptInit, MESSAGE_DECRYPT_INIT) \
    X(C_MessageSignInit, MESSAGE_SIGN_INIT) \
    X(C_MessageVerifyInit, MESSAGE_VERIFY_INIT)

#define DEF_SESSION_ONLY(name, CASE) \
    CK_RV name(CK_ULONG h) { return session_only(#name, FN(CASE), h); }
#define DEF_SESSION_OBJECT(name, CASE) \
    CK_RV name(CK_ULONG h, CK_ULONG o) { return session_object(#name, FN(CASE), h, o); }
#define DEF_SESSION_BYTES(name, CASE, huge, ends) \
    CK_RV name(CK_ULONG h, CK_BYTE *p, CK_ULONG n) { return session_bytes(#name, FN(CASE), h, p, n, huge, ends); }
#define DEF_SESSION_OUTPUT(name, CASE, ends) \
    CK_RV name(CK_ULONG h, CK_BYTE *p, CK_ULONG *pn) { return session_output(#name, FN(CASE), h, p, pn, ends); }
#define DEF_CRYPT(name, CASE, huge, ends) \
    CK_RV name(CK_ULONG h, CK_BYTE *pIn, CK_ULONG ulIn, CK_BYTE *pOut, CK_ULONG *pulOut) { \
        return crypt(#name, FN(CASE), h, pIn, ulIn, huge, pOut, pulOut, ends); \
    }
#define DEF_OPERATION_INIT(name, CASE) \
    CK_RV name(CK_ULONG h, CK_MECHANISM *m, CK_ULONG key) { return operation_init(#name, FN(CASE), h, m, key); }

SESSION_ONLY(DEF_SESSION_ONLY)
SESSION_OBJECT(DEF_SESSION_OBJECT)
SESSION_BYTES(DEF_SESSION_BYTES)
SESSION_OUTPUT(DEF_SESSION_OUTPUT)
CRYPT(DEF_CRYPT)
OPERATION_INIT(DEF_OPERATION_INIT)

CK_RV C_DigestInit(CK_ULONG h, CK_MECHANISM *m) {
    return operation_init("C_DigestInit", FN(DIGEST_INIT), h, m, 0);
}

/* C_Verify: data and signature, each with its own length error. */
CK_RV C_Verify(CK_ULONG h, CK_BYTE *pIn, CK_ULONG ulIn, CK_BYTE *pSig, CK_ULONG ulSig) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__Verify v = JHSM__V1__VERIFY__INIT;
    SET(v, session, h);
    CK_RV rv = jc_input(pIn, ulIn, DATA, &v.data);
    if (rv == CKR_OK) {
        rv = jc_input(pSig, ulSig, SIGNATURE, &v.signature);
    }
    if (rv != CKR_OK) {
        return jc_ending(h, END_VER, rv);
    }
    v.has_data = v.has_signature = 1;
    jc_put(&req, FN(VERIFY), &v);
    return jc_call_rv("C_Verify", &req);
}
