package io.jhsm.bridge;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKR;

/**
 * The C two-call protocol for a (pOut, pulOutLen) pair, mapped onto the Cryptoki convention (null
 * array asks the length; too small throws BufferTooSmallException). The Java array is sized to the
 * caller's buffer but at most {@link #FIRST_TRY} bytes, so a caller offering a huge buffer for a
 * small result costs no huge allocation; a result between that and the caller's size is fetched
 * with a second, exact array (the engine keeps the operation active on BufferTooSmall).
 */
final class OutputBuffer {
    private OutputBuffer() {}

    static final int FIRST_TRY = 16 << 10;

    /** One engine call producing output into {@code out} (null: length query), returning its length. */
    @FunctionalInterface
    interface Producer {
        int produce(byte[] out);
    }

    static long produce(long pOut, long pulOutLen, Producer producer) {
        NativeMem.requireNonNull(pulOutLen);
        Pointer len = NativeMem.at(pulOutLen);
        if (pOut == 0) {
            len.setLong(0, producer.produce(null));
            return CKR.OK;
        }
        long capacity = len.getLong(0);
        long usable = capacity < 0 ? NativeMem.MAX_ARRAY : Math.min(capacity, NativeMem.MAX_ARRAY);
        byte[] out = new byte[(int) Math.min(usable, FIRST_TRY)];
        int n;
        try {
            n = producer.produce(out);
        } catch (BufferTooSmallException e) {
            if (e.requiredLength() > usable || out.length == usable) {
                len.setLong(0, e.requiredLength());
                return CKR.BUFFER_TOO_SMALL;
            }
            out = new byte[e.requiredLength()];
            n = producer.produce(out);
        }
        NativeMem.write(pOut, out, n);
        len.setLong(0, n);
        return CKR.OK;
    }
}
