package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES key wrap modes of NIST SP 800-38F over SunJCE (JDK 17+ has all three, on the AES-NI
 * path): KW (RFC 3394), KWP (RFC 5649) and KW over PKCS#7 padding to 8 bytes. Single-part, as
 * PKCS#11 defines them; the optional parameter replaces the default initial value.
 */
final class AesKeyWrapCipher implements CipherOperation {

    enum Variant {
        /** RFC 3394: input a multiple of 8 bytes, at least 16; 8-byte IV. */
        KW("AES/KW/NoPadding", 8),
        /** RFC 5649: any length from 1 byte; 4-byte alternative IV. */
        KWP("AES/KWP/NoPadding", 4),
        /**
         * PKCS#7 padding to the AES block size, then RFC 3394 (CKM_AES_KEY_WRAP_PKCS7 and, in 3.0,
         * _PAD). PKCS#7 pads to the cipher's block, 16 bytes, as SunJCE's KW/PKCS5Padding does; that
         * also keeps RFC 3394's minimum of two semiblocks for short inputs.
         */
        PKCS7("AES/KW/PKCS5Padding", 8);

        final String transformation;
        final int ivBytes;

        Variant(String transformation, int ivBytes) {
            this.transformation = transformation;
            this.ivBytes = ivBytes;
        }

        static Variant of(long ckm) {
            if (ckm == CKM.AES_KEY_WRAP) {
                return KW;
            }
            return ckm == CKM.AES_KEY_WRAP_KWP ? KWP : PKCS7;
        }
    }

    private final JcaBlockCipher cipher;
    private final PartBuffer input = new PartBuffer();
    private final boolean encrypt;
    private final Variant variant;

    AesKeyWrapCipher(Variant variant, Mechanism mechanism, SecretKeySpec key, boolean encrypt) {
        this.variant = variant;
        this.encrypt = encrypt;
        this.cipher = new JcaBlockCipher(variant.transformation, encrypt, key, iv(variant, mechanism));
    }

    private static IvParameterSpec iv(Variant variant, Mechanism mechanism) {
        if (mechanism.params() == null) {
            return null;
        }
        byte[] iv = mechanism.params(MechanismParams.Bytes.class).bytes();
        if (iv.length == 0) {
            return null;
        }
        if (iv.length != variant.ivBytes) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " IV must be " + variant.ivBytes + " bytes");
        }
        return new IvParameterSpec(iv);
    }

    @Override
    public byte[] update(byte[] part) {
        input.append(part);
        return new byte[0];
    }

    /** Length checks first, so that the CK_RV does not depend on how SunJCE words its exceptions. */
    @Override
    public byte[] doFinal() {
        byte[] in = input.toArray();
        if (encrypt) {
            boolean ok = switch (variant) {
                case KW -> in.length >= 16 && in.length % 8 == 0;
                case KWP, PKCS7 -> in.length >= 1;
            };
            if (!ok) {
                throw new CkException(CKR.DATA_LEN_RANGE, variant + " cannot wrap " + in.length + " bytes");
            }
        } else if (in.length < (variant == Variant.KWP ? 16 : 24) || in.length % 8 != 0 || (variant == Variant.PKCS7 && in.length % 16 != 8)) {
            throw new CkException(CKR.ENCRYPTED_DATA_LEN_RANGE, variant + " ciphertext of " + in.length + " bytes");
        }
        byte[] head = cipher.update(in);
        byte[] tail;
        try {
            tail = cipher.doFinal();
        } catch (CkException e) {
            // The length is checked above, so SunJCE's IllegalBlockSizeException here is its failed integrity check.
            if (!encrypt && e.rv() == CKR.ENCRYPTED_DATA_LEN_RANGE) {
                throw new CkException(CKR.ENCRYPTED_DATA_INVALID, variant + " integrity check failed");
            }
            throw e;
        }
        if (head.length == 0) {
            return tail;
        }
        byte[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    @Override
    public boolean multiPart() {
        return false;
    }
}
