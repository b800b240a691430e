package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;

/**
 * C_WrapKey and C_UnwrapKey for mechanisms that also encrypt (AES key wrap, AES-GCM, AES-CBC-PAD,
 * RSA PKCS#1/OAEP): the wrapped key is the ciphertext of the key encoding. The cipher reports its
 * errors as for C_Encrypt/C_Decrypt; wrapping has its own codes for the same failures, so they are
 * translated here, once, rather than in every cipher.
 */
public final class Wrapping {
    private Wrapping() {}

    public static byte[] wrap(MechanismImpl impl, Mechanism mechanism, KeyView wrappingKey, byte[] keyEncoding) {
        try {
            return run(impl.encrypt(mechanism, wrappingKey), keyEncoding);
        } catch (CkException e) {
            throw translate(e, true);
        }
    }

    public static byte[] unwrap(MechanismImpl impl, Mechanism mechanism, KeyView unwrappingKey, byte[] wrapped) {
        try {
            return run(impl.decrypt(mechanism, unwrappingKey), wrapped);
        } catch (CkException e) {
            throw translate(e, false);
        }
    }

    private static byte[] run(CipherOperation op, byte[] input) {
        byte[] head = op.update(input);
        byte[] tail = op.doFinal();
        if (head.length == 0) {
            return tail;
        }
        byte[] out = new byte[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    /**
     * The C_WrapKey/C_UnwrapKey code for a cipher's C_Encrypt/C_Decrypt code. DATA_LEN_RANGE on
     * wrapping means the target key's length does not suit the mechanism, which the specification
     * reports as CKR_KEY_SIZE_RANGE.
     */
    public static CkException translate(CkException e, boolean wrapping) {
        long rv = e.rv();
        long mapped;
        if (rv == CKR.KEY_TYPE_INCONSISTENT) {
            mapped = wrapping ? CKR.WRAPPING_KEY_TYPE_INCONSISTENT : CKR.UNWRAPPING_KEY_TYPE_INCONSISTENT;
        } else if (rv == CKR.KEY_SIZE_RANGE) {
            mapped = wrapping ? CKR.WRAPPING_KEY_SIZE_RANGE : CKR.UNWRAPPING_KEY_SIZE_RANGE;
        } else if (rv == CKR.DATA_LEN_RANGE && wrapping) {
            mapped = CKR.KEY_SIZE_RANGE;
        } else if (rv == CKR.ENCRYPTED_DATA_LEN_RANGE) {
            mapped = CKR.WRAPPED_KEY_LEN_RANGE;
        } else if (rv == CKR.ENCRYPTED_DATA_INVALID) {
            mapped = CKR.WRAPPED_KEY_INVALID;
        } else {
            return e;
        }
        return new CkException(mapped, e.getMessage(), e);
    }
}
