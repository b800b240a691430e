package io.jhsm.engine.mechanism.kdf;

import io.jhsm.pkcs11.CkException;

/**
 * A derivation failed because of one key's template: {@code index} 0 is C_DeriveKey's own template,
 * 1.. the additional derived keys in order. PKCS#11 3.0 §2.42.7 asks that the offending
 * CK_DERIVED_KEY's phKey then receive CK_INVALID_HANDLE, so the engine needs to know which it was.
 */
public final class DerivedKeyTemplateException extends CkException {
    private final int index;

    public DerivedKeyTemplateException(int index, CkException cause) {
        super(cause.rv(), "derived key " + index + ": " + cause.getMessage(), cause);
        this.index = index;
    }

    public int index() {
        return index;
    }
}
