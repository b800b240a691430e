/* One decoder per mechanism parameter struct: its LP64 size and how it becomes MechanismParams. */
#ifndef JC_MECHPARAMS_H
#define JC_MECHPARAMS_H

#include "jc_api.h"

typedef struct jc_param_codec {
    CK_ULONG size;
    CK_RV (*decode)(jc_arena *a, const void *s, Jhsm__V1__MechanismParams *out, jc_mech *m);
} jc_param_codec;

/* A message of type T from the arena, initialised; returns CKR_HOST_MEMORY from the enclosing function when none. */
#define JC_NEW(a, var, T, INIT)               \
    T *var = jc_alloc(a, sizeof(T));          \
    if (var == NULL)                          \
        return CKR_HOST_MEMORY;               \
    do {                                      \
        T init_ = INIT;                       \
        *var = init_;                         \
    } while (0)

#define JC_TRY(expr)                          \
    do {                                      \
        CK_RV rv_ = (expr);                   \
        if (rv_ != CKR_OK)                    \
            return rv_;                       \
    } while (0)

extern const jc_param_codec jc_codec_gcm, jc_codec_cloudhsm_gcm, jc_codec_ccm, jc_codec_ctr, jc_codec_chacha20,
    jc_codec_chacha20_poly1305, jc_codec_pss, jc_codec_oaep, jc_codec_rsa_aes_key_wrap, jc_codec_eddsa,
    jc_codec_sign_context, jc_codec_hash_sign_context, jc_codec_ulong;
extern const jc_param_codec jc_codec_ecdh1, jc_codec_hkdf, jc_codec_derivation_string, jc_codec_aes_cbc_encrypt_data,
    jc_codec_sp800108, jc_codec_sp800108_feedback, jc_codec_pbkdf2;

#endif
