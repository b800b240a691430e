package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-ECB, AES-CBC and AES-CBC-PAD over SunJCE (AES-NI intrinsics), translating JCA's exceptions
 * into the CK_RVs PKCS#11 lists for the final step.
 */
public final class JcaBlockCipher implements CipherOperation {
    private static final byte[] EMPTY = new byte[0];
    /**
     * Large inputs go to SunJCE in pieces of this size. HotSpot replaces CipherBlockChaining.implEncrypt/
     * implDecrypt with an AES-NI stub only in a normally compiled caller; one megabyte in one call runs the
     * whole loop in the interpreter's on-stack-replaced Java code instead (JFR: 100% of C_Encrypt CBC 1 MiB
     * samples in implEncrypt's Java lines), and a few hundred calls a second never make it hot.
     */
    private static final int PIECE = 16 * 1024;

    private final Cipher cipher;
    private final boolean encrypt;
    /** PKCS#5 padding: decryption holds back a last block until the final call. */
    private final boolean padded;
    /** Input accepted but not yet released as output (SunJCE buffers up to a block, two when unpadding). */
    private int unreleased;
    /** What an update releases in whole multiples of: the block, or a byte for CFB8. */
    private final int unit;

    public JcaBlockCipher(String transformation, boolean encrypt, SecretKeySpec key, AlgorithmParameterSpec params) {
        this.encrypt = encrypt;
        this.padded = transformation.endsWith("PKCS5Padding");
        try {
            cipher = Cipher.getInstance(transformation, Providers.SUN_JCE);
            unit = transformation.contains("/CFB8/") ? 1 : cipher.getBlockSize();
            cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, params);
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, transformation + " init", e);
        }
    }

    @Override
    public byte[] update(byte[] part) {
        byte[] out = process(part);
        unreleased += part.length - out.length;
        return out;
    }

    private byte[] process(byte[] part) {
        if (part.length <= PIECE) {
            byte[] out = cipher.update(part);
            return out == null ? EMPTY : out;
        }
        byte[] out = new byte[cipher.getOutputSize(part.length)];
        int n = 0;
        try {
            for (int off = 0; off < part.length; off += PIECE) {
                n += cipher.update(part, off, Math.min(PIECE, part.length - off), out, n);
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException("getOutputSize is an upper bound of update's output", e);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * An update releases whole blocks, keeping one back when decryption must strip the padding at the end
     * (SunJCE's CipherCore); Cipher.getOutputSize would count the final step's padding block too, and an
     * application offering part-sized buffers to C_EncryptUpdate would be told they are too small.
     */
    @Override
    public int outputBound(int partLength, boolean andFinal) {
        if (andFinal) {
            return cipher.getOutputSize(partLength);
        }
        int releasable = unreleased + partLength - (padded && !encrypt ? unit : 0);
        return releasable <= 0 ? 0 : releasable - releasable % unit;
    }

    @Override
    public byte[] doFinal() {
        try {
            return cipher.doFinal();
        } catch (IllegalBlockSizeException e) {
            throw new CkException(encrypt ? CKR.DATA_LEN_RANGE : CKR.ENCRYPTED_DATA_LEN_RANGE, "input is not a whole number of blocks");
        } catch (BadPaddingException e) {
            throw new CkException(CKR.ENCRYPTED_DATA_INVALID, "bad padding");
        }
    }
}
