/*
 * CK_MECHANISM into the protocol's Mechanism: the parameter is decoded by the struct its mechanism takes,
 * one table line per mechanism (the bridge's MechanismParamTable); a mechanism not listed takes a plain
 * byte string (an IV, or a struct passed raw for the node to judge). A known struct given with the wrong
 * length, or holding a NULL pointer with a length, is CKR_MECHANISM_PARAM_INVALID.
 */
#include "param_struct.h"
#include "mechparams.h"

static const struct {
    CK_MECHANISM_TYPE mechanism;
    const jc_param_codec *codec;
} table[] = {
    {0x1087, &jc_codec_gcm}, {0x80001087, &jc_codec_cloudhsm_gcm}, {0x1088, &jc_codec_ccm}, {0x1086, &jc_codec_ctr},
    {0x1226, &jc_codec_chacha20}, {0x4021, &jc_codec_chacha20_poly1305},
    /* RSA: PSS with and without hashing, OAEP, RSA-AES key wrap */
    {0x0D, &jc_codec_pss}, {0x0E, &jc_codec_pss}, {0x47, &jc_codec_pss}, {0x43, &jc_codec_pss}, {0x44, &jc_codec_pss},
    {0x45, &jc_codec_pss}, {0x67, &jc_codec_pss}, {0x63, &jc_codec_pss}, {0x64, &jc_codec_pss}, {0x65, &jc_codec_pss},
    {0x09, &jc_codec_oaep}, {0x1054, &jc_codec_rsa_aes_key_wrap},
    /* EdDSA, ML-DSA and SLH-DSA contexts */
    {0x1057, &jc_codec_eddsa}, {0x1D, &jc_codec_sign_context}, {0x1F, &jc_codec_hash_sign_context},
    {0x23, &jc_codec_sign_context}, {0x24, &jc_codec_sign_context}, {0x25, &jc_codec_sign_context},
    {0x26, &jc_codec_sign_context}, {0x27, &jc_codec_sign_context}, {0x28, &jc_codec_sign_context},
    {0x29, &jc_codec_sign_context}, {0x2A, &jc_codec_sign_context}, {0x2B, &jc_codec_sign_context},
    {0x2C, &jc_codec_sign_context}, {0x2E, &jc_codec_sign_context}, {0x34, &jc_codec_hash_sign_context},
    {0x36, &jc_codec_sign_context}, {0x37, &jc_codec_sign_context}, {0x38, &jc_codec_sign_context},
    {0x39, &jc_codec_sign_context}, {0x3A, &jc_codec_sign_context}, {0x3B, &jc_codec_sign_context},
    {0x3C, &jc_codec_sign_context}, {0x3D, &jc_codec_sign_context}, {0x3E, &jc_codec_sign_context},
    {0x3F, &jc_codec_sign_context},
    /* *_MAC_GENERAL and *_HMAC_GENERAL: CK_MAC_GENERAL_PARAMS */
    {0x1084, &jc_codec_ulong}, {0x108B, &jc_codec_ulong}, {0x135, &jc_codec_ulong}, {0x137, &jc_codec_ulong},
    {0x212, &jc_codec_ulong}, {0x222, &jc_codec_ulong}, {0x257, &jc_codec_ulong}, {0x252, &jc_codec_ulong},
    {0x262, &jc_codec_ulong}, {0x272, &jc_codec_ulong}, {0x4A, &jc_codec_ulong}, {0x4E, &jc_codec_ulong},
    {0x2B7, &jc_codec_ulong}, {0x2B2, &jc_codec_ulong}, {0x2C2, &jc_codec_ulong}, {0x2D2, &jc_codec_ulong},
    /* key derivation */
    {0x1050, &jc_codec_ecdh1}, {0x1051, &jc_codec_ecdh1}, {0x402A, &jc_codec_hkdf}, {0x402B, &jc_codec_hkdf},
    {0x360, &jc_codec_ulong}, {0x362, &jc_codec_derivation_string}, {0x363, &jc_codec_derivation_string},
    {0x364, &jc_codec_derivation_string}, {0x365, &jc_codec_ulong}, {0x1104, &jc_codec_derivation_string},
    {0x1105, &jc_codec_aes_cbc_encrypt_data}, {0x3AC, &jc_codec_sp800108}, {0x3AE, &jc_codec_sp800108},
    {0x3AD, &jc_codec_sp800108_feedback}, {0x3B0, &jc_codec_pbkdf2},
};

static const jc_param_codec *codec_of(CK_MECHANISM_TYPE mechanism) {
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (table[i].mechanism == mechanism) {
            return table[i].codec;
        }
    }
    return NULL;
}

static CK_RV params(jc_arena *a, const CK_MECHANISM *pm, jc_mech *m, Jhsm__V1__MechanismParams **out) {
    if (pm->pParameter == NULL) {
        return pm->ulParameterLen == 0 ? CKR_OK : CKR_MECHANISM_PARAM_INVALID;
    }
    Jhsm__V1__MechanismParams init = JHSM__V1__MECHANISM_PARAMS__INIT;
    Jhsm__V1__MechanismParams *p = jc_alloc(a, sizeof(*p));
    if (p == NULL) {
        return CKR_HOST_MEMORY;
    }
    *p = init;
    *out = p;
    const jc_param_codec *codec = codec_of(pm->mechanism);
    if (codec == NULL) {
        p->params_case = JHSM__V1__MECHANISM_PARAMS__PARAMS_BYTES;
        return ps_bytes_at(pm->pParameter, pm->ulParameterLen, &p->bytes);
    }
    if (pm->ulParameterLen != codec->size) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    return codec->decode(a, pm->pParameter, p, m);
}

CK_RV jc_mechanism(jc_arena *a, const CK_MECHANISM *pm, int optional, jc_mech *m) {
    memset(m, 0, sizeof(*m));
    if (pm == NULL) {
        return optional ? CKR_OK : CKR_ARGUMENTS_BAD;
    }
    Jhsm__V1__Mechanism init = JHSM__V1__MECHANISM__INIT;
    Jhsm__V1__Mechanism *msg = jc_alloc(a, sizeof(*msg));
    if (msg == NULL) {
        return CKR_HOST_MEMORY;
    }
    *msg = init;
    SET(*msg, type, pm->mechanism);
    CK_RV rv = params(a, pm, m, &msg->params);
    m->msg = msg;
    return rv;
}

CK_RV jc_mech_template(jc_arena *a, const CK_MECHANISM *pMech, jc_mech *m, Jhsm__V1__Mechanism **mech,
                       const CK_ATTRIBUTE *t, CK_ULONG count, Jhsm__V1__Attribute ***list, size_t *n) {
    CK_RV rv = jc_mechanism(a, pMech, 0, m);
    *mech = m->msg;
    return rv == CKR_OK ? jc_template(a, t, count, list, n) : rv;
}

void jc_copy_changed(CK_BYTE *to, size_t to_len, const ProtobufCBinaryData *from) {
    size_t n = from->len < to_len ? from->len : to_len;
    if (to != NULL && n > 0 && memcmp(to, from->data, n) != 0) {
        memcpy(to, from->data, n);
    }
}

/* CloudHSM's pkcs11-mechanisms.html, annotation 1: a cloudhsm token's CKM_AES_GCM fills the caller's pIv.
 * PKCS#11 only guarantees the struct during the call, so it is written before the call returns. */
void jc_mech_iv_back(const jc_mech *m, const Resp *resp) {
    if (m->gcm_iv == NULL || resp == NULL || resp->result_case != JHSM__V1__RESPONSE__RESULT_OUTPUT
        || resp->output == NULL || resp->output->params == NULL
        || resp->output->params->params_case != JHSM__V1__MECHANISM_PARAMS__PARAMS_GCM) {
        return;
    }
    jc_copy_changed(m->gcm_iv, m->gcm_iv_len, &resp->output->params->gcm->iv);
}
