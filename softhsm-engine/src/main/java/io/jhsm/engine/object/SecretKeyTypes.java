package io.jhsm.engine.object;

import io.jhsm.pkcs11.CKK;
import java.util.Set;

/**
 * Secret key types and the CKA_VALUE lengths each accepts. CKK_DES is stored like any other type; the
 * engine refuses it on tokens without legacy algorithms (MechanismRegistry.offersKeyType).
 */
final class SecretKeyTypes {
    private SecretKeyTypes() {}

    private static final Set<Long> HMAC_AND_GENERIC = Set.of(CKK.GENERIC_SECRET, CKK.SHA_1_HMAC, CKK.SHA224_HMAC,
            CKK.SHA256_HMAC, CKK.SHA384_HMAC, CKK.SHA512_HMAC, CKK.SHA3_224_HMAC, CKK.SHA3_256_HMAC,
            CKK.SHA3_384_HMAC, CKK.SHA3_512_HMAC, CKK.SHA512_224_HMAC, CKK.SHA512_256_HMAC, CKK.SHA512_T_HMAC,
            CKK.HKDF);

    static boolean known(long keyType) {
        return keyType == CKK.AES || keyType == CKK.AES_XTS || keyType == CKK.DES3 || keyType == CKK.DES || keyType == CKK.CHACHA20
                || HMAC_AND_GENERIC.contains(keyType);
    }

    static boolean validLength(long keyType, int bytes) {
        if (keyType == CKK.AES) {
            return bytes == 16 || bytes == 24 || bytes == 32;
        }
        if (keyType == CKK.AES_XTS) {
            return bytes == 32 || bytes == 64;
        }
        if (keyType == CKK.DES3) {
            return bytes == 24;
        }
        if (keyType == CKK.DES) {
            return bytes == 8;
        }
        if (keyType == CKK.CHACHA20) {
            return bytes == 32;
        }
        return bytes >= 1 && bytes <= 1024;
    }

    /** DES keys carry odd parity in each byte (FIPS 46-3); PKCS#11 refuses a DES key whose parity is wrong. */
    static boolean hasDesParity(byte[] value) {
        for (byte b : value) {
            if ((Integer.bitCount(b & 0xFF) & 1) == 0) {
                return false;
            }
        }
        return true;
    }
}
