package io.jhsm.engine.cloudhsm;

import io.jhsm.pkcs11.CKR;

/**
 * A refused management operation, with a code the CLI turns into an exit status. PKCS#11 paths use
 * CkException instead; {@link #pkcs11} carries the CK_RV where the refusal came from the engine.
 */
public final class HsmException extends RuntimeException {

    /** What went wrong, by kind; each has its own CLI exit status. */
    public enum Code {
        BAD_INPUT(2, CKR.ARGUMENTS_BAD), NOT_AUTHENTICATED(3, CKR.PIN_INCORRECT), FORBIDDEN(4, CKR.ACTION_PROHIBITED),
        NOT_FOUND(5, CKR.OBJECT_HANDLE_INVALID), STATE(6, CKR.OPERATION_NOT_INITIALIZED), QUORUM(7, CKR.FUNCTION_REJECTED),
        INTEGRITY(8, CKR.SIGNATURE_INVALID), LOCKED(9, CKR.PIN_LOCKED);

        public final int exitStatus;
        /** The CK_RV the audit log records for a refusal of this kind. */
        public final long rv;

        Code(int exitStatus, long rv) {
            this.exitStatus = exitStatus;
            this.rv = rv;
        }
    }

    private final Code code;
    private final long pkcs11;

    public HsmException(Code code, String message) {
        this(code, message, 0, null);
    }

    public HsmException(Code code, String message, long pkcs11, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.pkcs11 = pkcs11;
    }

    public Code code() {
        return code;
    }

    public long pkcs11() {
        return pkcs11;
    }

    /** The CK_RV to record: the engine's own when it refused, else the kind's. */
    public long rv() {
        return pkcs11 != 0 ? pkcs11 : code.rv;
    }
}
