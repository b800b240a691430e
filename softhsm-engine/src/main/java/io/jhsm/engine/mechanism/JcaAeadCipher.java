package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/** An initialised JCA AEAD cipher (AES-GCM, ChaCha20-Poly1305) as a CipherOperation, with PKCS#11's codes for a short input or a bad tag. */
public final class JcaAeadCipher implements CipherOperation {
    private static final byte[] EMPTY = new byte[0];

    private final Cipher cipher;
    private final boolean encrypt;
    private final int tagBytes;
    /** What encryption releases in whole multiples of: SunJCE's AES-GCM whole blocks, ChaCha20-Poly1305 and ACCP every byte. */
    private final int releaseUnit;
    private long inputLength;
    /** Encrypted input not yet released. */
    private int unreleased;

    public JcaAeadCipher(Cipher cipher, boolean encrypt, int tagBytes, int releaseUnit) {
        this.cipher = cipher;
        this.encrypt = encrypt;
        this.tagBytes = tagBytes;
        this.releaseUnit = releaseUnit;
    }

    @Override
    public byte[] update(byte[] part) {
        inputLength += part.length;
        byte[] out = cipher.update(part);
        out = out == null ? EMPTY : out;
        unreleased += part.length - out.length;
        return out;
    }

    /**
     * Decryption releases nothing before the tag is checked at the final step (SunJCE and ACCP both hold it);
     * encryption releases what it has enciphered. (Cipher.getOutputSize counts the final step, tag included.)
     */
    @Override
    public int outputBound(int partLength, boolean andFinal) {
        if (andFinal) {
            return cipher.getOutputSize(partLength);
        }
        if (!encrypt) {
            return 0;
        }
        int total = unreleased + partLength;
        return total - total % releaseUnit;
    }

    @Override
    public byte[] doFinal() {
        if (!encrypt && inputLength < tagBytes) {
            throw new CkException(CKR.ENCRYPTED_DATA_LEN_RANGE, "shorter than the " + tagBytes + "-byte tag");
        }
        try {
            return cipher.doFinal();
        } catch (AEADBadTagException e) {
            throw new CkException(CKR.ENCRYPTED_DATA_INVALID, "tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, cipher.getAlgorithm() + " final", e);
        }
    }
}
