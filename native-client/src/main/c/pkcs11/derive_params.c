/* The key-derivation parameter structs (the bridge's DeriveParamDecoders, Sp800108ParamDecoder,
 * Pbkdf2ParamDecoder), LP64 offsets. */
#include <sys/uio.h>
#include <unistd.h>
#include "param_struct.h"
#include "mechparams.h"

#define P(name) JHSM__V1__MECHANISM_PARAMS__PARAMS_##name

/* CK_ECDH1_DERIVE_PARAMS {kdf; ulSharedDataLen; pSharedData; ulPublicDataLen; pPublicData}. */
static CK_RV ecdh1(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, e, Jhsm__V1__Ecdh1Derive, JHSM__V1__ECDH1_DERIVE__INIT);
    SET(*e, kdf, ps_ulong(s, 0));
    JC_TRY(ps_bytes(s, 16, 8, &e->shared_data));
    JC_TRY(ps_bytes(s, 32, 24, &e->public_data));
    e->has_shared_data = e->has_public_data = 1;
    out->params_case = P(ECDH1_DERIVE);
    out->ecdh1_derive = e;
    return CKR_OK;
}

/* CK_HKDF_PARAMS {bExtract; bExpand; (padding) prfHashMechanism; ulSaltType; pSalt; ulSaltLen; hSaltKey; pInfo;
 * ulInfoLen}: pSalt is read only for CKF_HKDF_SALT_DATA, the specification leaves it unused otherwise. */
static CK_RV hkdf(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, h, Jhsm__V1__Hkdf, JHSM__V1__HKDF__INIT);
    SET(*h, extract, ps_bbool(s, 0));
    SET(*h, expand, ps_bbool(s, 1));
    SET(*h, prf_hash, ps_ulong(s, 8));
    SET(*h, salt_type, ps_ulong(s, 16));
    if (h->salt_type == CKF_HKDF_SALT_DATA) {
        JC_TRY(ps_bytes(s, 24, 32, &h->salt));
    }
    h->has_salt = 1;
    SET(*h, salt_key, ps_ulong(s, 40));
    JC_TRY(ps_bytes(s, 48, 56, &h->info));
    h->has_info = 1;
    out->params_case = P(HKDF);
    out->hkdf = h;
    return CKR_OK;
}

/* CK_KEY_DERIVATION_STRING_DATA {pData; ulLen}. */
static CK_RV derivation_string(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    out->params_case = P(DERIVATION_STRING);
    return ps_bytes(s, 0, 8, &out->derivation_string);
}

/* CK_AES_CBC_ENCRYPT_DATA_PARAMS {CK_BYTE iv[16]; pData; length}. */
static CK_RV aes_cbc_encrypt_data(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, c, Jhsm__V1__AesCbcEncryptData, JHSM__V1__AES_CBC_ENCRYPT_DATA__INIT);
    ps_inline(s, 0, 16, &c->iv);
    JC_TRY(ps_bytes(s, 16, 24, &c->data));
    c->has_iv = c->has_data = 1;
    out->params_case = P(AES_CBC_ENCRYPT_DATA);
    out->aes_cbc_encrypt_data = c;
    return CKR_OK;
}

/* Far above any real KDF input layout, and any protocol's key schedule: bounds what a bad count makes us read. */
#define MAX_DATA_PARAMS 256

/* The CK_PRF_DATA_PARAM array {type; pValue; ulValueLen}. */
static CK_RV data_params(jc_arena *a, const void *s, Jhsm__V1__Sp800108Kdf *k) {
    CK_ULONG count = ps_ulong(s, 8);
    const CK_BYTE *array = ps_ptr(s, 16);
    if (count > MAX_DATA_PARAMS || (array == NULL && count != 0)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    k->n_data_params = count;
    k->data_params = count == 0 ? NULL : jc_alloc(a, count * sizeof(*k->data_params));
    if (count != 0 && k->data_params == NULL) {
        return CKR_HOST_MEMORY;
    }
    for (CK_ULONG i = 0; i < count; i++) {
        const CK_BYTE *d = array + i * 24;
        JC_NEW(a, p, Jhsm__V1__PrfDataParam, JHSM__V1__PRF_DATA_PARAM__INIT);
        SET(*p, type, ps_ulong(d, 0));
        JC_TRY(ps_bytes(d, 8, 16, &p->value));
        p->has_value = 1;
        k->data_params[i] = p;
    }
    return CKR_OK;
}

/* The CK_DERIVED_KEY array {pTemplate; ulAttributeCount; phKey}: count and pointer both set or both not
 * (§2.42.3), each entry with a phKey; the handles go there after C_DeriveKey (keys.c). */
static CK_RV additional_keys(jc_arena *a, const void *s, size_t count_off, size_t ptr_off, Jhsm__V1__Sp800108Kdf *k,
                             jc_mech *m) {
    CK_ULONG count = ps_ulong(s, count_off);
    const CK_BYTE *array = ps_ptr(s, ptr_off);
    if ((count == 0) != (array == NULL) || count > JC_MAX_DERIVED_KEYS) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    k->n_additional_derived_keys = count;
    k->additional_derived_keys = count == 0 ? NULL : jc_alloc(a, count * sizeof(*k->additional_derived_keys));
    if (count != 0 && k->additional_derived_keys == NULL) {
        return CKR_HOST_MEMORY;
    }
    for (CK_ULONG i = 0; i < count; i++) {
        const CK_BYTE *d = array + i * 24;
        if (ps_ptr(d, 16) == NULL) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        JC_NEW(a, t, Jhsm__V1__Template, JHSM__V1__TEMPLATE__INIT);
        CK_RV rv = jc_template(a, ps_ptr(d, 0), ps_ulong(d, 8), &t->attributes, &t->n_attributes);
        if (rv != CKR_OK) {
            return rv == CKR_HOST_MEMORY ? rv : CKR_MECHANISM_PARAM_INVALID; /* the parameter's fault */
        }
        k->additional_derived_keys[i] = t;
        m->derived[i] = ps_ptr(d, 16);
    }
    m->n_derived = count;
    return CKR_OK;
}

/* CK_SP800_108_KDF_PARAMS {prfType; ulNumberOfDataParams; pDataParams; ulAdditionalDerivedKeys; pAdditionalDerivedKeys}. */
static CK_RV sp800108(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, k, Jhsm__V1__Sp800108Kdf, JHSM__V1__SP800108_KDF__INIT);
    SET(*k, prf_type, ps_ulong(s, 0));
    JC_TRY(data_params(a, s, k));
    JC_TRY(additional_keys(a, s, 24, 32, k, m));
    out->params_case = P(SP800108_KDF);
    out->sp800108_kdf = k;
    return CKR_OK;
}

/* CK_SP800_108_FEEDBACK_KDF_PARAMS {prfType; ulNumberOfDataParams; pDataParams; ulIVLen; pIV;
 * ulAdditionalDerivedKeys; pAdditionalDerivedKeys}. */
static CK_RV sp800108_feedback(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, k, Jhsm__V1__Sp800108Kdf, JHSM__V1__SP800108_KDF__INIT);
    SET(*k, prf_type, ps_ulong(s, 0));
    JC_TRY(data_params(a, s, k));
    JC_TRY(ps_bytes(s, 32, 24, &k->iv));
    k->has_iv = 1;
    JC_TRY(additional_keys(a, s, 40, 48, k, m));
    out->params_case = P(SP800108_KDF);
    out->sp800108_kdf = k;
    return CKR_OK;
}

/* Passwords are shorter than this, and Linux maps nothing this low. */
#define MAX_PASSWORD 0xFFFFUL

/* Reads 8 bytes at an address that may not be mapped, without faulting. */
static int read_mapped(CK_ULONG address, CK_ULONG *value) {
    struct iovec local = {value, sizeof(*value)};
    struct iovec remote = {(void *) address, sizeof(*value)};
    return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t) sizeof(*value);
}

/* CK_PKCS5_PBKD2_PARAMS2 ends with ulPasswordLen, the older CK_PKCS5_PBKD2_PARAMS with a pointer to it; both
 * are 72 bytes, so the value tells: below 64 KiB a length, an aligned mapped address a pointer to one. */
static CK_RV password_length(CK_ULONG field, CK_ULONG *len) {
    if (field <= MAX_PASSWORD) {
        *len = field;
        return CKR_OK;
    }
    if ((field & 7) == 0 && read_mapped(field, len) && *len <= MAX_PASSWORD) {
        return CKR_OK;
    }
    return CKR_MECHANISM_PARAM_INVALID;
}

/* {saltSource; pSaltSourceData; ulSaltSourceDataLen; iterations; prf; pPrfData; ulPrfDataLen; pPassword; ulPasswordLen}. */
static CK_RV pbkdf2(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m) {
    JC_NEW(a, p, Jhsm__V1__Pbkdf2, JHSM__V1__PBKDF2__INIT);
    CK_ULONG password_len;
    JC_TRY(password_length(ps_ulong(s, 64), &password_len));
    SET(*p, salt_source, ps_ulong(s, 0));
    JC_TRY(ps_bytes(s, 8, 16, &p->salt_source_data));
    SET(*p, iterations, ps_ulong(s, 24));
    SET(*p, prf, ps_ulong(s, 32));
    JC_TRY(ps_bytes(s, 40, 48, &p->prf_data));
    p->has_salt_source_data = p->has_prf_data = 1;
    if (ps_ptr(s, 56) != NULL || password_len != 0) {
        JC_TRY(ps_bytes_at(ps_ptr(s, 56), password_len, &p->password));
        p->has_password = 1; /* absent: pPassword NULL, for the node to refuse */
    }
    out->params_case = P(PBKDF2);
    out->pbkdf2 = p;
    return CKR_OK;
}

const jc_param_codec jc_codec_ecdh1 = {40, ecdh1}, jc_codec_hkdf = {64, hkdf},
    jc_codec_derivation_string = {16, derivation_string}, jc_codec_aes_cbc_encrypt_data = {32, aes_cbc_encrypt_data},
    jc_codec_sp800108 = {40, sp800108}, jc_codec_sp800108_feedback = {56, sp800108_feedback},
    jc_codec_pbkdf2 = {72, pbkdf2};
