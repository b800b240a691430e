package io.jhsm.bridge;

import io.jhsm.pkcs11.CkException;

/**
 * A call that continues an active operation (C_Encrypt, C_DigestUpdate, C_SignFinal …). PKCS#11 ends
 * the operation on any error other than CKR_BUFFER_TOO_SMALL. The engine ends it for the errors it
 * finds; the ones the bridge finds before the engine is reached (a NULL pulLen, NULL input with a
 * length, a length beyond any buffer) end it here, by cancelling it (an Init with a NULL mechanism),
 * so the rule holds for every such function in one place.
 */
final class OperationCall {
    private OperationCall() {}

    interface Cancel {
        void run(long hSession);
    }

    interface Body {
        long run();
    }

    /** Runs {@code body}; when it throws, every operation in {@code ends} is cancelled first. */
    static long ending(long hSession, Body body, Cancel... ends) {
        try {
            return body.run();
        } catch (RuntimeException | Error e) {
            for (Cancel cancel : ends) {
                try {
                    cancel.run(hSession);
                } catch (CkException ignored) {
                    // An invalid session has no operation to end; the caller sees the first error.
                }
            }
            throw e;
        }
    }

    static final Cancel ENCRYPT = h -> Module.engine().C_EncryptInit(h, null, 0);
    static final Cancel DECRYPT = h -> Module.engine().C_DecryptInit(h, null, 0);
    static final Cancel DIGEST = h -> Module.engine().C_DigestInit(h, null);
    static final Cancel SIGN = h -> Module.engine().C_SignInit(h, null, 0);
    static final Cancel VERIFY = h -> Module.engine().C_VerifyInit(h, null, 0);
    static final Cancel SIGN_RECOVER = h -> Module.engine().C_SignRecoverInit(h, null, 0);
    static final Cancel VERIFY_RECOVER = h -> Module.engine().C_VerifyRecoverInit(h, null, 0);
    static final Cancel VERIFY_SIGNATURE = h -> Module.engine().C_VerifySignatureInit(h, null, 0, null);
}
