package io.jhsm.engine.store;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;

/**
 * A change to the token could not be committed by the cluster (no majority of HSMs reachable, or no
 * leader within the commit timeout). CKR_FUNCTION_FAILED, what CloudHSM's library returns when an
 * HSM cannot complete a cluster-wide change; the token is unchanged.
 */
public final class NotCommittedException extends CkException {

    public NotCommittedException(String detail) {
        super(CKR.FUNCTION_FAILED, detail);
    }

    public NotCommittedException(String detail, Throwable cause) {
        super(CKR.FUNCTION_FAILED, detail, cause);
    }
}
