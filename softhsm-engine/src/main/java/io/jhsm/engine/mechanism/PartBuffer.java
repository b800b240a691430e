package io.jhsm.engine.mechanism;

import java.util.Arrays;

/**
 * Collects the parts of an operation that can only run over the whole input (single-part RSA,
 * raw ECDSA, GCM decryption). A plain growable array: ByteArrayOutputStream would synchronize and
 * copy once more.
 */
final class PartBuffer {
    private byte[] buf = new byte[0];
    private int len;

    void append(byte[] part) {
        if (len + part.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + part.length, buf.length * 2));
        }
        System.arraycopy(part, 0, buf, len, part.length);
        len += part.length;
    }

    /** An independent copy, for C_GetOperationState. */
    PartBuffer copy() {
        PartBuffer c = new PartBuffer();
        c.buf = Arrays.copyOf(buf, len);
        c.len = len;
        return c;
    }

    int length() {
        return len;
    }

    byte[] toArray() {
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }
}
