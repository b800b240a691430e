package io.jhsm.engine.mechanism;

/** A digest in progress. */
public interface DigestOperation {

    void update(byte[] part);

    byte[] digest();

    /** The length digest() will return, known without finishing (a length query consumes nothing); negative if unknown. */
    default int digestLength() {
        return -1;
    }

    /** An independent copy of the running state (C_GetOperationState); CKR_STATE_UNSAVEABLE where there is none. */
    default DigestOperation copy() {
        throw SavedStates.unsaveable();
    }
}
