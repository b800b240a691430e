/*
 * The PKCS#11 3.0 message-based functions (the bridge's MessageCallbacks, MessageParam; the Java client's
 * RemoteMessages). The per-message parameter is told by its size, unique among those jhsm supports (LP64):
 * 48 bytes CK_GCM_MESSAGE_PARAMS {pIv; ulIvLen; ulIvFixedBits; ivGenerator; pTag; ulTagBits}, 56 bytes
 * CK_CCM_MESSAGE_PARAMS {ulDataLen; pNonce; ulNonceLen; ulNonceFixedBits; nonceGenerator; pMAC; ulMACLen};
 * NULL is none (the HMACs); anything else goes raw for the node to judge. Encryption copies the IV and tag
 * the node returns back into the caller's buffers, only where they changed (MessageParamsCopy, InOutBytes).
 */
#include "param_struct.h"
#include "mechparams.h"
#include "functions.h"

typedef struct msg_param {
    Jhsm__V1__MechanismParams *value; /* NULL: none */
    CK_BYTE *iv, *tag;                /* the caller's in/out buffers (IV or nonce, tag or MAC) */
    size_t iv_len, tag_len;
} msg_param;

#define GCM_SIZE 48
#define CCM_SIZE 56

static CK_RV decode(jc_arena *a, const void *s, CK_ULONG len, msg_param *p) {
    memset(p, 0, sizeof(*p));
    if (s == NULL) {
        return len == 0 ? CKR_OK : CKR_ARGUMENTS_BAD;
    }
    JC_NEW(a, v, Jhsm__V1__MechanismParams, JHSM__V1__MECHANISM_PARAMS__INIT);
    p->value = v;
    if (len == GCM_SIZE) {
        JC_NEW(a, g, Jhsm__V1__GcmMessage, JHSM__V1__GCM_MESSAGE__INIT);
        CK_ULONG tag_bits = ps_ulong(s, 40);
        JC_TRY(ps_bytes(s, 0, 8, &g->iv));
        JC_TRY(ps_bytes_at(ps_ptr(s, 32), tag_bits > (1UL << 20) ? ~0UL : (tag_bits + 7) / 8, &g->tag));
        g->has_iv = g->has_tag = 1;
        SET(*g, iv_fixed_bits, ps_ulong(s, 16));
        SET(*g, iv_generator, ps_ulong(s, 24));
        SET(*g, tag_bits, tag_bits);
        v->params_case = JHSM__V1__MECHANISM_PARAMS__PARAMS_GCM_MESSAGE;
        v->gcm_message = g;
        *p = (msg_param){v, g->iv.data, g->tag.data, g->iv.len, g->tag.len};
        return CKR_OK;
    }
    if (len == CCM_SIZE) {
        JC_NEW(a, c, Jhsm__V1__CcmMessage, JHSM__V1__CCM_MESSAGE__INIT);
        SET(*c, data_len, ps_ulong(s, 0));
        JC_TRY(ps_bytes(s, 8, 16, &c->nonce));
        SET(*c, nonce_fixed_bits, ps_ulong(s, 24));
        SET(*c, nonce_generator, ps_ulong(s, 32));
        JC_TRY(ps_bytes(s, 40, 48, &c->mac));
        c->has_nonce = c->has_mac = 1;
        v->params_case = JHSM__V1__MECHANISM_PARAMS__PARAMS_CCM_MESSAGE;
        v->ccm_message = c;
        *p = (msg_param){v, c->nonce.data, c->mac.data, c->nonce.len, c->mac.len};
        return CKR_OK;
    }
    v->params_case = JHSM__V1__MECHANISM_PARAMS__PARAMS_BYTES;
    return ps_bytes_at(s, len, &v->bytes);
}

/* After an encryption call: the generated IV and the tag, to the caller's pIv / pTag (pNonce / pMAC). */
static void copy_back(const msg_param *p, CK_RV rv, const Resp *resp) {
    if ((rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL) || resp == NULL
        || resp->result_case != JHSM__V1__RESPONSE__RESULT_OUTPUT || resp->output->params == NULL) {
        return;
    }
    const Jhsm__V1__MechanismParams *back = resp->output->params;
    if (back->params_case == JHSM__V1__MECHANISM_PARAMS__PARAMS_GCM_MESSAGE) {
        jc_copy_changed(p->iv, p->iv_len, &back->gcm_message->iv);
        jc_copy_changed(p->tag, p->tag_len, &back->gcm_message->tag);
    } else if (back->params_case == JHSM__V1__MECHANISM_PARAMS__PARAMS_CCM_MESSAGE) {
        jc_copy_changed(p->iv, p->iv_len, &back->ccm_message->nonce);
        jc_copy_changed(p->tag, p->tag_len, &back->ccm_message->mac);
    }
}

/* One call whose answer may carry output and the parameter; encryption copies the parameter back. */
static CK_RV exchange(const char *fn, Req *req, jc_out *out, const msg_param *p, int encrypting) {
    Resp *resp;
    CK_RV rv = jc_call(fn, req, &resp);
    if (encrypting) {
        copy_back(p, rv, resp);
    }
    if (out != NULL) {
        rv = jc_out_deliver(fn, out, rv, resp);
    }
    return jc_finish(resp, NULL, rv);
}


/* C_EncryptMessage, C_DecryptMessage, C_SignMessage (no associated data): MessageCrypt. */
static CK_RV message_crypt(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_ULONG h, void *pParam, CK_ULONG ulParam,
                           CK_BYTE *pAad, CK_ULONG ulAad, CK_BYTE *pIn, CK_ULONG ulIn, CK_RV rv_if_huge, CK_BYTE *pOut,
                           CK_ULONG *pulOut) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__MessageCrypt c = JHSM__V1__MESSAGE_CRYPT__INIT;
    jc_arena arena = {0};
    msg_param p;
    jc_out out;
    CK_RV rv;
    SET(c, session, h);
    JC_CHECK(decode(&arena, pParam, ulParam, &p));
    c.params = p.value;
    JC_CHECK(jc_input(pAad, ulAad, CKR_ARGUMENTS_BAD, &c.associated_data));
    JC_CHECK(jc_input(pIn, ulIn, rv_if_huge, &c.input));
    c.has_associated_data = c.has_input = 1;
    JC_CHECK(jc_out_prepare(&out, pOut, pulOut, &c.out));
    jc_put(&req, f, &c);
    rv = exchange(fn, &req, &out, &p, f == FN(ENCRYPT_MESSAGE));
done:
    return jc_finish(NULL, &arena, rv);
}

CK_RV C_EncryptMessage(CK_ULONG h, void *pParam, CK_ULONG ulParam, CK_BYTE *pAad, CK_ULONG ulAad, CK_BYTE *pIn,
                       CK_ULONG ulIn, CK_BYTE *pOut, CK_ULONG *pulOut) {
    return message_crypt("C_EncryptMessage", FN(ENCRYPT_MESSAGE), h, pParam, ulParam, pAad, ulAad, pIn, ulIn,
                         CKR_DATA_LEN_RANGE, pOut, pulOut);
}

CK_RV C_DecryptMessage(CK_ULONG h, void *pParam, CK_ULONG ulParam, CK_BYTE *pAad, CK_ULONG ulAad, CK_BYTE *pIn,
                       CK_ULONG ulIn, CK_BYTE *pOut, CK_ULONG *pulOut) {
    return message_crypt("C_DecryptMessage", FN(DECRYPT_MESSAGE), h, pParam, ulParam, pAad, ulAad, pIn, ulIn,
                         CKR_ENCRYPTED_DATA_LEN_RANGE, pOut, pulOut);
}

CK_RV C_SignMessage(CK_ULONG h, void *pParam, CK_ULONG ulParam, CK_BYTE *pIn, CK_ULONG ulIn, CK_BYTE *pSig,
                    CK_ULONG *pulSig) {
    return message_crypt("C_SignMessage", FN(SIGN_MESSAGE), h, pParam, ulParam, NULL, 0, pIn, ulIn, CKR_DATA_LEN_RANGE,
                         pSig, pulSig);
}

/* The *MessageBegin functions: MessageBegin (associated data for the ciphers). */
static CK_RV message_begin(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_ULONG h, void *pParam, CK_ULONG ulParam,
                           CK_BYTE *pAad, CK_ULONG ulAad) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__MessageBegin b = JHSM__V1__MESSAGE_BEGIN__INIT;
    jc_arena arena = {0};
    msg_param p;
    CK_RV rv;
    SET(b, session, h);
    JC_CHECK(decode(&arena, pParam, ulParam, &p));
    b.params = p.value;
    JC_CHECK(jc_input(pAad, ulAad, CKR_ARGUMENTS_BAD, &b.associated_data));
    b.has_associated_data = 1;
    jc_put(&req, f, &b);
    rv = exchange(fn, &req, NULL, &p, f == FN(ENCRYPT_MESSAGE_BEGIN));
done:
    return jc_finish(NULL, &arena, rv);
}

CK_RV C_EncryptMessageBegin(CK_ULONG h, void *pParam, CK_ULONG ulParam, CK_BYTE *pAad, CK_ULONG ulAad) {
    return message_begin("C_EncryptMessageBegin", FN(ENCRYPT_MESSAGE_BEGIN), h, pParam, ulParam, pAad, ulAad);
}

CK_RV C_DecryptMessageBegin(CK_ULONG h, void *pParam, CK_ULONG ulParam, CK_BYTE *pAad, CK_ULONG ulAad) {
    return message_begin("C_DecryptMessageBegin", FN(DECRYPT_MESSAGE_BEGIN), h, pParam, ulParam, pAad, ulAad);
}

CK_RV C_SignMessageBegin(CK_ULONG h, void *pParam, CK_ULONG ulParam) {
    return message_begin("C_SignMessageBegin", FN(SIGN_MESSAGE_BEGIN), h, pParam, ulParam, NULL, 0);
}

CK_RV C_VerifyMessageBegin(CK_ULONG h, void *pParam, CK_ULONG ulParam) {
    return message_begin("C_VerifyMessageBegin", FN(VERIFY_MESSAGE_BEGIN), h, pParam, ulParam, NULL, 0);
}

/* The *MessageNext functions that return bytes: MessageNext. C_SignMessageNext without pulSignatureLen is a
 * part that only adds data (flags 0, no output); with it the last part (flags 1), returning the signature. */
static CK_RV message_next(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_ULONG h, void *pParam, CK_ULONG ulParam,
                          CK_BYTE *pIn, CK_ULONG ulIn, CK_RV rv_if_huge, CK_BYTE *pOut, CK_ULONG *pulOut, CK_ULONG flags,
                          int output) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__MessageNext n = JHSM__V1__MESSAGE_NEXT__INIT;
    jc_arena arena = {0};
    msg_param p;
    jc_out out;
    CK_RV rv;
    SET(n, session, h);
    SET(n, flags, flags);
    JC_CHECK(decode(&arena, pParam, ulParam, &p));
    n.params = p.value;
    JC_CHECK(jc_input(pIn, ulIn, rv_if_huge, &n.input));
    n.has_input = 1;
    if (output) {
        JC_CHECK(jc_out_prepare(&out, pOut, pulOut, &n.out));
    }
    jc_put(&req, f, &n);
    rv = exchange(fn, &req, output ? &out : NULL, &p, f == FN(ENCRYPT_MESSAGE_NEXT));
done:
    return jc_finish(NULL, &arena, rv);
}

CK_RV C_EncryptMessageNext(CK_ULONG h, void *pParam, CK_ULONG ulParam, CK_BYTE *pIn, CK_ULONG ulIn, CK_BYTE *pOut,
                           CK_ULONG *pulOut, CK_ULONG flags) {
    return message_next("C_EncryptMessageNext", FN(ENCRYPT_MESSAGE_NEXT), h, pParam, ulParam, pIn, ulIn,
                        CKR_DATA_LEN_RANGE, pOut, pulOut, flags, 1);
}

CK_RV C_DecryptMessageNext(CK_ULONG h, void *pParam, CK_ULONG ulParam, CK_BYTE *pIn, CK_ULONG ulIn, CK_BYTE *pOut,
                           CK_ULONG *pulOut, CK_ULONG flags) {
    return message_next("C_DecryptMessageNext", FN(DECRYPT_MESSAGE_NEXT), h, pParam, ulParam, pIn, ulIn,
                        CKR_ENCRYPTED_DATA_LEN_RANGE, pOut, pulOut, flags, 1);
}

CK_RV C_SignMessageNext(CK_ULONG h, void *pParam, CK_ULONG ulParam, CK_BYTE *pIn, CK_ULONG ulIn, CK_BYTE *pSig,
                        CK_ULONG *pulSig) {
    int last = pulSig != NULL;
    return message_next("C_SignMessageNext", FN(SIGN_MESSAGE_NEXT), h, pParam, ulParam, pIn, ulIn, CKR_DATA_LEN_RANGE,
                        pSig, pulSig, last, last);
}

/* C_VerifyMessage and C_VerifyMessageNext: MessageVerify; the Next's NULL signature is a part that only adds data. */
static CK_RV message_verify(const char *fn, Jhsm__V1__Request__FunctionCase f, CK_ULONG h, void *pParam,
                            CK_ULONG ulParam, CK_BYTE *pIn, CK_ULONG ulIn, CK_BYTE *pSig, CK_ULONG ulSig,
                            int signature_optional) {
    JC_REQUIRE_INIT();
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__MessageVerify v = JHSM__V1__MESSAGE_VERIFY__INIT;
    jc_arena arena = {0};
    msg_param p;
    CK_RV rv;
    SET(v, session, h);
    /* The bridge's order of checks: the Next's optional signature first, the one-shot's last. */
    if (signature_optional && pSig != NULL) {
        JC_CHECK(jc_input(pSig, ulSig, CKR_SIGNATURE_LEN_RANGE, &v.signature));
        v.has_signature = 1;
    }
    JC_CHECK(decode(&arena, pParam, ulParam, &p));
    v.params = p.value;
    JC_CHECK(jc_input(pIn, ulIn, CKR_DATA_LEN_RANGE, &v.data));
    v.has_data = 1;
    if (!signature_optional) {
        JC_CHECK(jc_input(pSig, ulSig, CKR_SIGNATURE_LEN_RANGE, &v.signature));
        v.has_signature = 1;
    }
    jc_put(&req, f, &v);
    rv = jc_call_rv(fn, &req);
done:
    return jc_finish(NULL, &arena, rv);
}

CK_RV C_VerifyMessage(CK_ULONG h, void *pParam, CK_ULONG ulParam, CK_BYTE *pIn, CK_ULONG ulIn, CK_BYTE *pSig,
                      CK_ULONG ulSig) {
    return message_verify("C_VerifyMessage", FN(VERIFY_MESSAGE), h, pParam, ulParam, pIn, ulIn, pSig, ulSig, 0);
}

CK_RV C_VerifyMessageNext(CK_ULONG h, void *pParam, CK_ULONG ulParam, CK_BYTE *pIn, CK_ULONG ulIn, CK_BYTE *pSig,
                          CK_ULONG ulSig) {
    return message_verify("C_VerifyMessageNext", FN(VERIFY_MESSAGE_NEXT), h, pParam, ulParam, pIn, ulIn, pSig, ulSig, 1);
}
