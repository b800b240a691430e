package io.jhsm.engine.mechanism;

/** A signature or MAC in progress. Single-part C_Sign is update(data) then sign(). */
public interface SignOperation {

    void update(byte[] part);

    byte[] sign();

    /** The length sign() will return, known without signing (a length query consumes nothing); negative if unknown. */
    default int signatureLength() {
        return -1;
    }

    /** False for mechanisms PKCS#11 defines as single-part only (CKM_RSA_PKCS, CKM_ECDSA …). */
    default boolean multiPart() {
        return true;
    }

    /** An independent copy of the running state (C_GetOperationState); CKR_STATE_UNSAVEABLE where there is none. */
    default SignOperation copy() {
        throw SavedStates.unsaveable();
    }
}
