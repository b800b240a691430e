package io.jhsm.pkcs11;

import java.util.Arrays;

/**
 * Decoded mechanism parameters. The C ABI layer decodes each CK_*_PARAMS struct into one of these
 * (by the mechanism's documented parameter type); a mechanism validates it at init.
 */
public sealed interface MechanismParams {

    /**
     * The keys this parameter asks a derivation to make besides the main one (CK_DERIVED_KEY
     * arrays), in order; none for every parameter but SP 800-108's.
     */
    default java.util.List<DerivedKey> additionalDerivedKeys() {
        return java.util.List.of();
    }

    /** A parameter that is a plain byte string: an IV (CBC, CFB, OFB), a context string, or an unknown struct's raw bytes. */
    record Bytes(byte[] bytes) implements MechanismParams {
        @Override
        public String toString() {
            return bytes.length + " bytes";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(b.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** A parameter that is one CK_ULONG, e.g. CK_MAC_GENERAL_PARAMS (the MAC length). */
    record UlongValue(long value) implements MechanismParams {}

    /** CK_GCM_PARAMS (pIv, ulIvLen, ulIvBits, pAAD, ulAADLen, ulTagBits). */
    record Gcm(byte[] iv, long ivBits, byte[] aad, long tagBits) implements MechanismParams {
        @Override
        public String toString() {
            return "iv=" + iv.length + "B aad=" + aad.length + "B tagBits=" + tagBits;
        }
    }

    /** CK_CCM_PARAMS (ulDataLen, pNonce, ulNonceLen, pAAD, ulAADLen, ulMACLen). */
    record Ccm(long dataLen, byte[] nonce, byte[] aad, long macLen) implements MechanismParams {}

    /** CK_AES_CTR_PARAMS (ulCounterBits, cb[16]). */
    record Ctr(long counterBits, byte[] counterBlock) implements MechanismParams {}

    /** CK_RSA_PKCS_PSS_PARAMS (hashAlg, mgf, sLen). */
    record Pss(long hashAlg, long mgf, long saltLength) implements MechanismParams {}

    /** CK_RSA_PKCS_OAEP_PARAMS (hashAlg, mgf, source, pSourceData). */
    record Oaep(long hashAlg, long mgf, long source, byte[] sourceData) implements MechanismParams {}

    /** CK_ECDH1_DERIVE_PARAMS (kdf, pSharedData, pPublicData). */
    record Ecdh1Derive(long kdf, byte[] sharedData, byte[] publicData) implements MechanismParams {}

    /**
     * CK_RSA_AES_KEY_WRAP_PARAMS (ulAESKeyBits, pOAEPParams): the size of the ephemeral AES key and
     * the CK_RSA_PKCS_OAEP_PARAMS it points to, decoded as for CKM_RSA_PKCS_OAEP.
     */
    record RsaAesKeyWrap(long aesKeyBits, Oaep oaep) implements MechanismParams {}

    /**
     * CK_EDDSA_PARAMS (phFlag, ulContextDataLen, pContextData) for CKM_EDDSA: prehash selects
     * Ed25519ph/Ed448ph; context is the RFC 8032 context (empty when ulContextDataLen is 0).
     */
    record Eddsa(boolean prehash, byte[] context) implements MechanismParams {}

    /**
     * CK_HKDF_PARAMS (bExtract, bExpand, prfHashMechanism, ulSaltType, pSalt, ulSaltLen, hSaltKey,
     * pInfo, ulInfoLen). saltType is CKF_HKDF_SALT_NULL (1), _DATA (2) or _KEY (4); salt holds pSalt
     * for _DATA (empty otherwise); saltKey is the handle hSaltKey, which the engine resolves and
     * hands to the mechanism through {@code KeyLookup}.
     */
    record Hkdf(boolean extract, boolean expand, long prfHash, long saltType, byte[] salt, long saltKey, byte[] info)
            implements MechanismParams {}

    /**
     * One CK_PRF_DATA_PARAM (type, pValue, ulValueLen) of an SP 800-108 KDF. value is the ulValueLen
     * bytes at pValue, copied as they are: CK_SP800_108_COUNTER_FORMAT (bLittleEndian, ulWidthInBits:
     * 16 bytes on LP64), CK_SP800_108_DKM_LENGTH_FORMAT (dkmLengthMethod, bLittleEndian,
     * ulWidthInBits: 24 bytes) or the byte array itself — none of them holds a pointer.
     */
    record PrfDataParam(long type, byte[] value) {}

    /**
     * CK_SP800_108_KDF_PARAMS (prfType, ulNumberOfDataParams, pDataParams, ulAdditionalDerivedKeys,
     * pAdditionalDerivedKeys) for the counter and double-pipeline KDFs, and
     * CK_SP800_108_FEEDBACK_KDF_PARAMS (the same plus ulIVLen, pIV) for the feedback KDF (iv null for
     * the other two).
     */
    record Sp800108Kdf(long prfType, java.util.List<PrfDataParam> dataParams, byte[] iv, java.util.List<DerivedKey> additionalDerivedKeys)
            implements MechanismParams {
        public Sp800108Kdf {
            dataParams = java.util.List.copyOf(dataParams);
            additionalDerivedKeys = java.util.List.copyOf(additionalDerivedKeys);
        }

        /** The common case: one derived key. */
        public Sp800108Kdf(long prfType, java.util.List<PrfDataParam> dataParams, byte[] iv) {
            this(prfType, dataParams, iv, java.util.List.of());
        }
    }

    /**
     * CK_PKCS5_PBKD2_PARAMS2 (saltSource, pSaltSourceData, ulSaltSourceDataLen, iterations, prf,
     * pPrfData, ulPrfDataLen, pPassword, ulPasswordLen); also the older CK_PKCS5_PBKD2_PARAMS, whose
     * ulPasswordLen is a pointer the bridge dereferences.
     */
    record Pbkdf2(long saltSource, byte[] saltSourceData, long iterations, long prf, byte[] prfData, byte[] password)
            implements MechanismParams {
        @Override
        public String toString() {
            return "Pbkdf2[prf=" + prf + ", iterations=" + iterations + ", salt=" + saltSourceData.length + "B, password hidden]";
        }
    }

    /**
     * CK_KEY_DERIVATION_STRING_DATA (pData, ulLen), for CKM_CONCATENATE_BASE_AND_DATA,
     * CKM_CONCATENATE_DATA_AND_BASE, CKM_XOR_BASE_AND_DATA and CKM_AES_ECB_ENCRYPT_DATA.
     */
    record DerivationString(byte[] data) implements MechanismParams {}

    /** CK_AES_CBC_ENCRYPT_DATA_PARAMS (iv[16], pData, length), for CKM_AES_CBC_ENCRYPT_DATA. */
    record AesCbcEncryptData(byte[] iv, byte[] data) implements MechanismParams {}

    /**
     * CK_CHACHA20_PARAMS (pBlockCounter, blockCounterBits, pNonce, ulNonceBits). blockCounter holds
     * blockCounterBits/8 bytes (4 or 8), nonce ulNonceBits/8 bytes (8 or 12), as the caller laid them out.
     */
    record ChaCha20(byte[] blockCounter, long blockCounterBits, byte[] nonce, long nonceBits) implements MechanismParams {}

    /** CK_SALSA20_CHACHA20_POLY1305_PARAMS (pNonce, ulNonceLen, pAAD, ulAADLen), for CKM_CHACHA20_POLY1305. */
    record ChaCha20Poly1305(byte[] nonce, byte[] aad) implements MechanismParams {}

    /**
     * CK_GCM_MESSAGE_PARAMS (pIv, ulIvLen, ulIvFixedBits, ivGenerator, pTag, ulTagBits): the per-message
     * parameter of message-based AES-GCM. It is in/out: when encrypting, the engine writes the IV it
     * used into {@code iv} (unchanged for CKG_NO_GENERATE) and the tag into the first ulTagBits/8 bytes
     * of {@code tag}, in place; a C caller's memory is updated from these arrays after the call. When
     * decrypting both are only read.
     */
    record GcmMessage(byte[] iv, long ivFixedBits, long ivGenerator, byte[] tag, long tagBits) implements MechanismParams {
        @Override
        public String toString() {
            return "iv=" + iv.length + "B fixedBits=" + ivFixedBits + " generator=" + ivGenerator + " tagBits=" + tagBits;
        }
    }

    /**
     * CK_CCM_MESSAGE_PARAMS (ulDataLen, pNonce, ulNonceLen, ulNonceFixedBits, nonceGenerator, pMAC,
     * ulMACLen): the per-message parameter of message-based AES-CCM, in/out like {@link GcmMessage}:
     * encryption writes the nonce used into {@code nonce} and the MAC into {@code mac} (ulMACLen bytes).
     */
    record CcmMessage(long dataLen, byte[] nonce, long nonceFixedBits, long nonceGenerator, byte[] mac) implements MechanismParams {
        @Override
        public String toString() {
            return "dataLen=" + dataLen + " nonce=" + nonce.length + "B fixedBits=" + nonceFixedBits + " generator=" + nonceGenerator
                    + " mac=" + mac.length + "B";
        }
    }

    /**
     * CK_SIGN_ADDITIONAL_CONTEXT (hedgeVariant, pContext, ulContextLen) of PKCS#11 3.2, for CKM_ML_DSA,
     * CKM_SLH_DSA and their CKM_HASH_*_&lt;hash&gt; forms: CKH_HEDGE_PREFERRED, CKH_HEDGE_REQUIRED or
     * CKH_DETERMINISTIC_REQUIRED, and the FIPS 204/205 context string (empty when ulContextLen is 0).
     */
    record SignAdditionalContext(long hedgeVariant, byte[] context) implements MechanismParams {
        @Override
        public String toString() {
            return "hedge=" + hedgeVariant + " context=" + context.length + "B";
        }
    }

    /**
     * CK_HASH_SIGN_ADDITIONAL_CONTEXT (hedgeVariant, pContext, ulContextLen, hash) of PKCS#11 3.2, for
     * CKM_HASH_ML_DSA and CKM_HASH_SLH_DSA: as {@link SignAdditionalContext}, plus the digest mechanism
     * (CKM_SHA256 …) that made the pre-hashed data.
     */
    record HashSignAdditionalContext(long hedgeVariant, byte[] context, long hash) implements MechanismParams {
        @Override
        public String toString() {
            return "hedge=" + hedgeVariant + " context=" + context.length + "B hash=" + hash;
        }
    }
}
