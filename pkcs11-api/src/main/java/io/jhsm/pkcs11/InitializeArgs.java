package io.jhsm.pkcs11;

/**
 * CK_C_INITIALIZE_ARGS as far as a Java engine needs it. Mutex callbacks cannot be called from
 * Java usefully; the engine uses its own locks, which PKCS#11 allows when CKF_OS_LOCKING_OK is set
 * or when no callbacks are supplied. {@code mutexCallbacks} says whether the caller supplied them.
 */
public record InitializeArgs(long flags, boolean mutexCallbacks, boolean reservedNonNull) {
    public static final InitializeArgs NONE = new InitializeArgs(0, false, false);
}
