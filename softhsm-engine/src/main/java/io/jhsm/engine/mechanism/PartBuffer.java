package io.jhsm.engine.mechanism;

import java.util.Arrays;

/**
 * Collects the parts of an operation that can only run over the whole input (single-part RSA,
 * raw ECDSA, GCM decryption). A plain growable array: ByteArrayOutputStream would synchronize and
 * copy once more.
 */
public final class PartBuffer {
    private byte[] buf = new byte[0];
    private int len;

    public void append(byte[] part) {
        if (len + part.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + part.length, buf.length * 2));
        }
        System.arraycopy(part, 0, buf, len, part.length);
        len += part.length;
    }

    /** An independent copy, for C_GetOperationState. */
    public PartBuffer copy() {
        PartBuffer c = new PartBuffer();
        c.buf = Arrays.copyOf(buf, len);
        c.len = len;
        return c;
    }

    public int length() {
        return len;
    }

    public byte[] toArray() {
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }
}
