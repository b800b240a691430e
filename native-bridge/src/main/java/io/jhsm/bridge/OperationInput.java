package io.jhsm.bridge;

import io.jhsm.pkcs11.CkException;

/**
 * Input of a call that continues an active operation. PKCS#11 ends the operation on any error other
 * than CKR_BUFFER_TOO_SMALL; an input the bridge refuses (NULL with a length, a length beyond any
 * buffer) never reaches the engine, so the bridge ends the operation itself by cancelling it (an
 * Init with a NULL mechanism) before answering.
 */
final class OperationInput {
    private OperationInput() {}

    interface Cancel {
        void run();
    }

    static byte[] read(long p, long ulLen, long rvIfHuge, Cancel cancel) {
        try {
            return NativeMem.input(p, ulLen, rvIfHuge);
        } catch (CkException e) {
            try {
                cancel.run();
            } catch (CkException ignored) {
                // An invalid session has no operation to end; the caller sees the input error.
            }
            throw e;
        }
    }
}
