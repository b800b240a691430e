package io.jhsm.engine.object;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Ulong;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * CKA_CHECK_VALUE as CloudHSM computes it: for a block-cipher key the first 3 bytes of a zero block
 * encrypted with it (AES-ECB, DES3-ECB, legacy DES-ECB). CloudHSM has no KCV for HMAC/generic secrets, so those get none.
 * Asymmetric keys (first 3 bytes of the SHA-1 of the public key) are shown by the CLI, since PKCS#11
 * gives CKA_CHECK_VALUE to secret keys and certificates only.
 */
public final class CheckValue {
    private CheckValue() {}

    public static final int LENGTH = 3;

    /** Adds the check value to a new secret key's attributes; a caller-given value must match it. */
    public static void stamp(Map<Long, Attribute> object) {
        if (Ulong.decode(object.get(CKA.CLASS).value()) != CKO.SECRET_KEY || !object.containsKey(CKA.VALUE)) {
            return;
        }
        byte[] kcv = of(Ulong.decode(object.get(CKA.KEY_TYPE).value()), object.get(CKA.VALUE).value());
        Attribute given = object.get(CKA.CHECK_VALUE);
        if (kcv == null) {
            object.remove(CKA.CHECK_VALUE);
            return;
        }
        if (given != null && given.value() != null && given.value().length > 0 && !Arrays.equals(given.value(), kcv)) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CKA_CHECK_VALUE does not match the key");
        }
        object.put(CKA.CHECK_VALUE, Attribute.of(CKA.CHECK_VALUE, kcv));
    }

    /** The KCV of a secret key value, or null when CloudHSM computes none for the type. */
    public static byte[] of(long keyType, byte[] value) {
        String alg = keyType == CKK.AES ? "AES" : keyType == CKK.DES3 ? "DESede" : keyType == CKK.DES ? "DES" : null;
        if (alg == null) {
            return null;
        }
        try {
            Cipher c = Cipher.getInstance(alg + "/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(value, alg));
            return Arrays.copyOf(c.doFinal(new byte[c.getBlockSize()]), LENGTH);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** An asymmetric key's check value: the first 3 bytes of the SHA-1 of its public key encoding. */
    public static byte[] ofPublicKey(byte[] encodedPublicKey) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-1").digest(encodedPublicKey), LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
