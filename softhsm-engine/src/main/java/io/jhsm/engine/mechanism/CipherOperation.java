package io.jhsm.engine.mechanism;

/**
 * An encryption or decryption in progress (Bouncy Castle's init/update/doFinal shape). The engine
 * owns the PKCS#11 length protocol: it calls each method once per caller-visible step and holds
 * the output until the caller's buffer is large enough.
 */
public interface CipherOperation {

    /** C_EncryptUpdate / C_DecryptUpdate: the output this part releases (possibly empty). */
    byte[] update(byte[] part);

    /** C_EncryptFinal / C_DecryptFinal, and the second half of single-part C_Encrypt (update then doFinal). */
    byte[] doFinal();

    /**
     * An upper bound of what update(part) releases for a part of this length, followed by doFinal()
     * when {@code andFinal}, worked out without touching the state: a length query must consume
     * nothing. Negative when the mechanism cannot tell (the engine then computes and holds the output).
     */
    default int outputBound(int partLength, boolean andFinal) {
        return -1;
    }

    /** False for mechanisms PKCS#11 defines as single-part only (RSA, raw AES-KEY-WRAP …). */
    default boolean multiPart() {
        return true;
    }
}
