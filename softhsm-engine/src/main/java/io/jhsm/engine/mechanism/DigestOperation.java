package io.jhsm.engine.mechanism;

/** A digest in progress. */
public interface DigestOperation {

    void update(byte[] part);

    byte[] digest();

    /** An independent copy of the running state (C_GetOperationState); CKR_STATE_UNSAVEABLE where there is none. */
    default DigestOperation copy() {
        throw SavedStates.unsaveable();
    }
}
