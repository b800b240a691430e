package io.jhsm.engine.mechanism;

/** A verification in progress. Single-part C_Verify is update(data) then verify(signature). */
public interface VerifyOperation {

    void update(byte[] part);

    /** Returns normally when valid; throws CkException CKR_SIGNATURE_INVALID or CKR_SIGNATURE_LEN_RANGE. */
    void verify(byte[] signature);

    default boolean multiPart() {
        return true;
    }

    /**
     * Multi-part through C_VerifySignatureUpdate (PKCS#11 3.2), where the signature came first: as
     * {@link #multiPart()} unless the mechanism is multi-part only there (pure ML-DSA and SLH-DSA).
     */
    default boolean multiPartWithSignatureFirst() {
        return multiPart();
    }

    /** An independent copy of the running state (C_GetOperationState); CKR_STATE_UNSAVEABLE where there is none. */
    default VerifyOperation copy() {
        throw SavedStates.unsaveable();
    }
}
