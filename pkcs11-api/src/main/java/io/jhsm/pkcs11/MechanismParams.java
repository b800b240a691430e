package io.jhsm.pkcs11;

import java.util.Arrays;

/**
 * Decoded mechanism parameters. The C ABI layer decodes each CK_*_PARAMS struct into one of these
 * (by the mechanism's documented parameter type); a mechanism validates it at init.
 */
public sealed interface MechanismParams {

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
}
