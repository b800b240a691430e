package io.jhsm.engine.mechanism.kdf;

import io.jhsm.engine.mechanism.aes.AesKeys;
import io.jhsm.engine.mechanism.mac.HmacFamily;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;

/**
 * The CKA_VALUE lengths of the secret key types mechanisms produce, for derived, unwrapped and
 * generated keys: which lengths a type accepts, which types fix their length, and which types
 * carry CKA_VALUE_LEN (all but DES and DES3, whose length is implied by the type).
 */
public final class SecretKeyLengths {
    private SecretKeyLengths() {}

    /** The length a type fixes, or 0 when the caller must give CKA_VALUE_LEN. */
    static int fixedLength(long keyType) {
        if (keyType == CKK.DES3) {
            return 24;
        }
        if (keyType == CKK.DES) {
            return 8;
        }
        if (keyType == CKK.CHACHA20) {
            return 32;
        }
        return 0;
    }

    static boolean hasValueLen(long keyType) {
        return !isDes(keyType);
    }

    static boolean isDes(long keyType) {
        return keyType == CKK.DES || keyType == CKK.DES3;
    }

    static boolean valid(long keyType, long bytes) {
        if (keyType == CKK.AES) {
            return AesKeys.validLength(bytes);
        }
        if (keyType == CKK.AES_XTS) {
            return bytes == 32 || bytes == 64;
        }
        int fixed = fixedLength(keyType);
        if (fixed != 0) {
            return bytes == fixed;
        }
        if (isGeneric(keyType)) {
            return bytes >= HmacFamily.MIN_KEY_BYTES && bytes <= HmacFamily.MAX_KEY_BYTES;
        }
        throw new CkException(CKR.TEMPLATE_INCONSISTENT, "cannot make a secret key of type " + CKK.name(keyType));
    }

    /** Key types whose value is just bytes of any length: generic secrets and the HMAC/HKDF types. */
    static boolean isGeneric(long keyType) {
        return keyType == CKK.GENERIC_SECRET || keyType == CKK.HKDF
                || keyType == CKK.SHA_1_HMAC || keyType == CKK.SHA224_HMAC || keyType == CKK.SHA256_HMAC
                || keyType == CKK.SHA384_HMAC || keyType == CKK.SHA512_HMAC || keyType == CKK.SHA512_224_HMAC
                || keyType == CKK.SHA512_256_HMAC || keyType == CKK.SHA3_224_HMAC || keyType == CKK.SHA3_256_HMAC
                || keyType == CKK.SHA3_384_HMAC || keyType == CKK.SHA3_512_HMAC;
    }

    /** Sets odd parity in each byte (the DES key convention: the low bit of each byte is parity). */
    public static byte[] withDesParity(byte[] key) {
        byte[] out = key.clone();
        for (int i = 0; i < out.length; i++) {
            int b = out[i] & 0xFE;
            out[i] = (byte) (b | ((Integer.bitCount(b) & 1) == 0 ? 1 : 0));
        }
        return out;
    }
}
