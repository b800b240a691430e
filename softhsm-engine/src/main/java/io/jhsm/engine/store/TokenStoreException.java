package io.jhsm.engine.store;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;

/**
 * The token's storage failed or is inconsistent (I/O, SQLite, missing or wrong device key). A
 * CkException carrying CKR_DEVICE_ERROR, so the engine can let it propagate to the caller as is.
 */
public class TokenStoreException extends CkException {

    public TokenStoreException(String detail, Throwable cause) {
        super(CKR.DEVICE_ERROR, detail, cause);
    }

    public TokenStoreException(String detail) {
        super(CKR.DEVICE_ERROR, detail);
    }
}
