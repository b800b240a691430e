/* The parameter structs of ciphers and signatures (the bridge's Cipher/Rsa/SignParamDecoders), LP64 offsets. */
#include "param_struct.h"
#include "mechparams.h"

#define P(name) JHSM__V1__MECHANISM_PARAMS__PARAMS_##name

/* CK_GCM_PARAMS {pIv; ulIvLen; ulIvBits; pAAD; ulAADLen; ulTagBits}; pIv is in/out on a cloudhsm token. */
static CK_RV gcm_common(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m, int null_iv_is_none) {
    JC_NEW(a, g, Jhsm__V1__Gcm, JHSM__V1__GCM__INIT);
    if (null_iv_is_none && ps_ptr(s, 0) == NULL) {
        g->iv.len = 0; /* CKM_CLOUDHSM_AES_GCM: the IV travels in front of the ciphertext, pIv is NULL */
    } else {
        JC_TRY(ps_bytes(s, 0, 8, &g->iv));
    }
    g->has_iv = 1;
    SET(*g, iv_bits, ps_ulong(s, 16));
    JC_TRY(ps_bytes(s, 24, 32, &g->aad));
    g->has_aad = 1;
    SET(*g, tag_bits, ps_ulong(s, 40));
    m->gcm_iv = ps_ptr(s, 0);
    m->gcm_iv_len = g->iv.len;
    out->params_case = P(GCM);
    out->gcm = g;
    return CKR_OK;
}

static CK_RV gcm(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    return gcm_common(a, s, out, m, 0);
}

static CK_RV cloudhsm_gcm(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    return gcm_common(a, s, out, m, 1);
}

/* CK_CCM_PARAMS {ulDataLen; pNonce; ulNonceLen; pAAD; ulAADLen; ulMACLen}. */
static CK_RV ccm(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, c, Jhsm__V1__Ccm, JHSM__V1__CCM__INIT);
    SET(*c, data_len, ps_ulong(s, 0));
    JC_TRY(ps_bytes(s, 8, 16, &c->nonce));
    JC_TRY(ps_bytes(s, 24, 32, &c->aad));
    c->has_nonce = c->has_aad = 1;
    SET(*c, mac_len, ps_ulong(s, 40));
    out->params_case = P(CCM);
    out->ccm = c;
    return CKR_OK;
}

/* CK_AES_CTR_PARAMS {ulCounterBits; CK_BYTE cb[16]}. */
static CK_RV ctr(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, c, Jhsm__V1__Ctr, JHSM__V1__CTR__INIT);
    SET(*c, counter_bits, ps_ulong(s, 0));
    ps_inline(s, 8, 16, &c->counter_block);
    c->has_counter_block = 1;
    out->params_case = P(CTR);
    out->ctr = c;
    return CKR_OK;
}

static CK_RV whole_bytes(CK_ULONG bits, CK_ULONG *bytes) {
    *bytes = bits / 8;
    return (bits & 7) == 0 ? CKR_OK : CKR_MECHANISM_PARAM_INVALID;
}

/* CK_CHACHA20_PARAMS {pBlockCounter; blockCounterBits; pNonce; ulNonceBits}: bit lengths of whole bytes;
 * a NULL pBlockCounter is absent (the node starts at 0). */
static CK_RV chacha20(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, c, Jhsm__V1__ChaCha20, JHSM__V1__CHA_CHA20__INIT);
    CK_ULONG counter_bytes, nonce_bytes;
    if (ps_ptr(s, 0) != NULL) {
        JC_TRY(whole_bytes(ps_ulong(s, 8), &counter_bytes));
        JC_TRY(ps_bytes_at(ps_ptr(s, 0), counter_bytes, &c->block_counter));
        c->has_block_counter = 1;
    }
    SET(*c, block_counter_bits, ps_ulong(s, 8));
    JC_TRY(whole_bytes(ps_ulong(s, 24), &nonce_bytes));
    JC_TRY(ps_bytes_at(ps_ptr(s, 16), nonce_bytes, &c->nonce));
    c->has_nonce = 1;
    SET(*c, nonce_bits, ps_ulong(s, 24));
    out->params_case = P(CHACHA20);
    out->chacha20 = c;
    return CKR_OK;
}

/* CK_SALSA20_CHACHA20_POLY1305_PARAMS {pNonce; ulNonceLen; pAAD; ulAADLen}. */
static CK_RV chacha20_poly1305(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, c, Jhsm__V1__ChaCha20Poly1305, JHSM__V1__CHA_CHA20_POLY1305__INIT);
    JC_TRY(ps_bytes(s, 0, 8, &c->nonce));
    JC_TRY(ps_bytes(s, 16, 24, &c->aad));
    c->has_nonce = c->has_aad = 1;
    out->params_case = P(CHACHA20_POLY1305);
    out->chacha20_poly1305 = c;
    return CKR_OK;
}

/* CK_RSA_PKCS_PSS_PARAMS {hashAlg; mgf; sLen}. */
static CK_RV pss(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, p, Jhsm__V1__Pss, JHSM__V1__PSS__INIT);
    SET(*p, hash_alg, ps_ulong(s, 0));
    SET(*p, mgf, ps_ulong(s, 8));
    SET(*p, salt_length, ps_ulong(s, 16));
    out->params_case = P(PSS);
    out->pss = p;
    return CKR_OK;
}

/* CK_RSA_PKCS_OAEP_PARAMS {hashAlg; mgf; source; pSourceData; ulSourceDataLen}. */
static CK_RV oaep_struct(jc_arena *a, const void *s, Jhsm__V1__Oaep **out) {
    JC_NEW(a, o, Jhsm__V1__Oaep, JHSM__V1__OAEP__INIT);
    SET(*o, hash_alg, ps_ulong(s, 0));
    SET(*o, mgf, ps_ulong(s, 8));
    SET(*o, source, ps_ulong(s, 16));
    JC_TRY(ps_bytes(s, 24, 32, &o->source_data));
    o->has_source_data = 1;
    *out = o;
    return CKR_OK;
}

static CK_RV oaep(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    out->params_case = P(OAEP);
    return oaep_struct(a, s, &out->oaep);
}

/* CK_RSA_AES_KEY_WRAP_PARAMS {ulAESKeyBits; pOAEPParams}: a NULL pOAEPParams is absent (the node refuses it). */
static CK_RV rsa_aes_key_wrap(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, w, Jhsm__V1__RsaAesKeyWrap, JHSM__V1__RSA_AES_KEY_WRAP__INIT);
    SET(*w, aes_key_bits, ps_ulong(s, 0));
    if (ps_ptr(s, 8) != NULL) {
        JC_TRY(oaep_struct(a, ps_ptr(s, 8), &w->oaep));
    }
    out->params_case = P(RSA_AES_KEY_WRAP);
    out->rsa_aes_key_wrap = w;
    return CKR_OK;
}

/* CK_EDDSA_PARAMS {CK_BBOOL phFlag; ulContextDataLen; pContextData}. */
static CK_RV eddsa(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, e, Jhsm__V1__Eddsa, JHSM__V1__EDDSA__INIT);
    SET(*e, prehash, ps_bbool(s, 0));
    JC_TRY(ps_bytes(s, 16, 8, &e->context));
    e->has_context = 1;
    out->params_case = P(EDDSA);
    out->eddsa = e;
    return CKR_OK;
}

/* CK_SIGN_ADDITIONAL_CONTEXT {hedgeVariant; pContext; ulContextLen}: FIPS 204/205 contexts are at most 255 bytes. */
static CK_RV context(const void *s, ProtobufCBinaryData *out) {
    return ps_ulong(s, 16) > 255 ? CKR_MECHANISM_PARAM_INVALID : ps_bytes(s, 8, 16, out);
}

static CK_RV sign_context(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, c, Jhsm__V1__SignAdditionalContext, JHSM__V1__SIGN_ADDITIONAL_CONTEXT__INIT);
    SET(*c, hedge_variant, ps_ulong(s, 0));
    JC_TRY(context(s, &c->context));
    c->has_context = 1;
    out->params_case = P(SIGN_ADDITIONAL_CONTEXT);
    out->sign_additional_context = c;
    return CKR_OK;
}

/* CK_HASH_SIGN_ADDITIONAL_CONTEXT: the same, then CK_MECHANISM_TYPE hash. */
static CK_RV hash_sign_context(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, c, Jhsm__V1__HashSignAdditionalContext, JHSM__V1__HASH_SIGN_ADDITIONAL_CONTEXT__INIT);
    SET(*c, hedge_variant, ps_ulong(s, 0));
    JC_TRY(context(s, &c->context));
    c->has_context = 1;
    SET(*c, hash, ps_ulong(s, 24));
    out->params_case = P(HASH_SIGN_ADDITIONAL_CONTEXT);
    out->hash_sign_additional_context = c;
    return CKR_OK;
}

/* One CK_ULONG: CK_MAC_GENERAL_PARAMS, CK_EXTRACT_PARAMS, CKM_CONCATENATE_BASE_AND_KEY's CK_OBJECT_HANDLE. */
static CK_RV ulong_param(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    out->params_case = P(ULONG);
    out->ulong = ps_ulong(s, 0);
    return CKR_OK;
}

const jc_param_codec jc_codec_gcm = {48, gcm}, jc_codec_cloudhsm_gcm = {48, cloudhsm_gcm}, jc_codec_ccm = {48, ccm},
    jc_codec_ctr = {24, ctr}, jc_codec_chacha20 = {32, chacha20}, jc_codec_chacha20_poly1305 = {32, chacha20_poly1305},
    jc_codec_pss = {24, pss}, jc_codec_oaep = {40, oaep}, jc_codec_rsa_aes_key_wrap = {16, rsa_aes_key_wrap},
    jc_codec_eddsa = {24, eddsa}, jc_codec_sign_context = {24, sign_context},
    jc_codec_hash_sign_context = {32, hash_sign_context}, jc_codec_ulong = {8, ulong_param};
