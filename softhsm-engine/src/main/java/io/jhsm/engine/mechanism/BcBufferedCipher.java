package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.Arrays;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.InvalidCipherTextException;

/** A BC buffered block cipher (CTS mode) as a CipherOperation, with PKCS#11's codes for short input. */
public final class BcBufferedCipher implements CipherOperation {
    private final BufferedBlockCipher cipher;
    private final boolean encrypt;

    public BcBufferedCipher(BufferedBlockCipher cipher, boolean encrypt) {
        this.cipher = cipher;
        this.encrypt = encrypt;
    }

    @Override
    public byte[] update(byte[] part) {
        byte[] out = new byte[cipher.getUpdateOutputSize(part.length)];
        int n = cipher.processBytes(part, 0, part.length, out, 0);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    @Override
    public int outputBound(int partLength, boolean andFinal) {
        return andFinal ? cipher.getOutputSize(partLength) : cipher.getUpdateOutputSize(partLength);
    }

    @Override
    public byte[] doFinal() {
        byte[] out = new byte[cipher.getOutputSize(0)];
        try {
            int n = cipher.doFinal(out, 0);
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (DataLengthException | InvalidCipherTextException e) {
            throw new CkException(encrypt ? CKR.DATA_LEN_RANGE : CKR.ENCRYPTED_DATA_LEN_RANGE, "input too short for this mode");
        }
    }
}
