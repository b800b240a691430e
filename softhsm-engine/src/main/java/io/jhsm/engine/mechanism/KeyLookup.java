package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;

/**
 * Resolves a key handle found inside a mechanism parameter (CKM_CONCATENATE_BASE_AND_KEY's
 * CK_OBJECT_HANDLE, CK_HKDF_PARAMS.hSaltKey). The engine implements it over the calling session:
 * an unknown or invisible handle is CKR_KEY_HANDLE_INVALID, as for the base key.
 */
@FunctionalInterface
public interface KeyLookup {

    KeyView find(long handle);

    /** For callers that have no session at hand: every handle is invalid. */
    KeyLookup NONE = handle -> {
        throw new CkException(CKR.KEY_HANDLE_INVALID, "no key lookup for handle " + handle);
    };
}
