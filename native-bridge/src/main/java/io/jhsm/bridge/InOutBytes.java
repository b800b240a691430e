package io.jhsm.bridge;

import io.jhsm.pkcs11.CKR;
import java.util.Arrays;

/**
 * A caller's in/out byte buffer inside a parameter struct (a GCM IV, a tag, a nonce): the Java array the
 * engine may fill in place, the caller's address, and the bytes as they came in. {@link #writeBack} copies
 * the array to the caller only when the engine changed it, so an unchanged buffer in read-only memory (a
 * decryption's IV, CKG_NO_GENERATE) is never written.
 */
final class InOutBytes {
    static final InOutBytes NONE = new InOutBytes(0, null);

    private final long address;
    private final byte[] array;
    private final byte[] before;

    private InOutBytes(long address, byte[] array) {
        this.address = address;
        this.array = array;
        this.before = array == null ? null : array.clone();
    }

    /** {@code array} is what the engine receives; {@code address} where the caller's copy lives (0: none). */
    static InOutBytes of(long address, byte[] array) {
        return address == 0 || array == null ? NONE : new InOutBytes(address, array);
    }

    /** After a call with the two-call output protocol: written back only with the output, i.e. when it is CKR_OK. */
    long writeBackIf(long rv) {
        if (rv == CKR.OK) {
            writeBack();
        }
        return rv;
    }

    void writeBack() {
        if (array != null && !Arrays.equals(before, array)) {
            NativeMem.write(address, array, array.length);
        }
    }
}
