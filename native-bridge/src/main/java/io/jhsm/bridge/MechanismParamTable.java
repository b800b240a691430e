package io.jhsm.bridge;

import static java.util.Map.entry;

import io.jhsm.pkcs11.CKM;
import java.util.Map;

/**
 * Which parameter struct each mechanism takes, by its PKCS#11 definition: one line per mechanism,
 * naming the decoder of that struct. A mechanism not listed takes a plain byte string (an IV such as
 * CBC/OFB/CFB/CTS/XTS's, or a struct we do not decode: passed raw, the engine judges).
 */
final class MechanismParamTable {
    private MechanismParamTable() {}

    private static final Map<Long, ParamDecoder> DECODERS = Map.ofEntries(
            entry(CKM.AES_GCM, CipherParamDecoders.GCM),
            entry(CKM.CLOUDHSM_AES_GCM, CipherParamDecoders.CLOUDHSM_GCM),
            entry(CKM.AES_CCM, CipherParamDecoders.CCM),
            entry(CKM.AES_CTR, CipherParamDecoders.CTR),
            entry(CKM.CHACHA20, CipherParamDecoders.CHACHA20),
            entry(CKM.CHACHA20_POLY1305, CipherParamDecoders.CHACHA20_POLY1305),

            entry(CKM.RSA_PKCS_PSS, RsaParamDecoders.PSS),
            entry(CKM.SHA1_RSA_PKCS_PSS, RsaParamDecoders.PSS),
            entry(CKM.SHA224_RSA_PKCS_PSS, RsaParamDecoders.PSS),
            entry(CKM.SHA256_RSA_PKCS_PSS, RsaParamDecoders.PSS),
            entry(CKM.SHA384_RSA_PKCS_PSS, RsaParamDecoders.PSS),
            entry(CKM.SHA512_RSA_PKCS_PSS, RsaParamDecoders.PSS),
            entry(CKM.SHA3_224_RSA_PKCS_PSS, RsaParamDecoders.PSS),
            entry(CKM.SHA3_256_RSA_PKCS_PSS, RsaParamDecoders.PSS),
            entry(CKM.SHA3_384_RSA_PKCS_PSS, RsaParamDecoders.PSS),
            entry(CKM.SHA3_512_RSA_PKCS_PSS, RsaParamDecoders.PSS),
            entry(CKM.RSA_PKCS_OAEP, RsaParamDecoders.OAEP),
            entry(CKM.RSA_AES_KEY_WRAP, RsaParamDecoders.RSA_AES_KEY_WRAP),

            entry(CKM.EDDSA, SignParamDecoders.EDDSA),
            entry(CKM.ML_DSA, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA, SignParamDecoders.HASH_SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA_SHA224, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA_SHA256, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA_SHA384, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA_SHA512, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA_SHA3_224, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA_SHA3_256, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA_SHA3_384, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA_SHA3_512, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA_SHAKE128, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_ML_DSA_SHAKE256, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.SLH_DSA, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA, SignParamDecoders.HASH_SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA_SHA224, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA_SHA256, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA_SHA384, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA_SHA512, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA_SHA3_224, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA_SHA3_256, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA_SHA3_384, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA_SHA3_512, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA_SHAKE128, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.HASH_SLH_DSA_SHAKE256, SignParamDecoders.SIGN_ADDITIONAL_CONTEXT),
            entry(CKM.AES_MAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.AES_CMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.DES3_MAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.DES3_CMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.MD5_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA_1_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA224_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA256_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA384_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA512_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA512_224_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA512_256_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA3_224_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA3_256_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA3_384_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),
            entry(CKM.SHA3_512_HMAC_GENERAL, SignParamDecoders.MAC_GENERAL),

            entry(CKM.ECDH1_DERIVE, DeriveParamDecoders.ECDH1),
            entry(CKM.ECDH1_COFACTOR_DERIVE, DeriveParamDecoders.ECDH1),
            entry(CKM.HKDF_DERIVE, DeriveParamDecoders.HKDF),
            entry(CKM.HKDF_DATA, DeriveParamDecoders.HKDF),
            entry(CKM.CONCATENATE_BASE_AND_KEY, DeriveParamDecoders.OBJECT_HANDLE),
            entry(CKM.CONCATENATE_BASE_AND_DATA, DeriveParamDecoders.DERIVATION_STRING),
            entry(CKM.CONCATENATE_DATA_AND_BASE, DeriveParamDecoders.DERIVATION_STRING),
            entry(CKM.XOR_BASE_AND_DATA, DeriveParamDecoders.DERIVATION_STRING),
            entry(CKM.EXTRACT_KEY_FROM_KEY, DeriveParamDecoders.EXTRACT),
            entry(CKM.AES_ECB_ENCRYPT_DATA, DeriveParamDecoders.DERIVATION_STRING),
            entry(CKM.AES_CBC_ENCRYPT_DATA, DeriveParamDecoders.AES_CBC_ENCRYPT_DATA),
            entry(CKM.SP800_108_COUNTER_KDF, Sp800108ParamDecoder.KDF),
            entry(CKM.SP800_108_DOUBLE_PIPELINE_KDF, Sp800108ParamDecoder.KDF),
            entry(CKM.SP800_108_FEEDBACK_KDF, Sp800108ParamDecoder.FEEDBACK),
            entry(CKM.PKCS5_PBKD2, new Pbkdf2ParamDecoder()));

    /** The decoder of the mechanism's parameter struct, or null for "raw bytes". */
    static ParamDecoder decoderOf(long mechanism) {
        return DECODERS.get(mechanism);
    }
}
