package io.jhsm.engine.session;

/** The operation slots of a session: at most one active operation of each kind. */
public enum OperationKind {
    FIND, ENCRYPT, DECRYPT, DIGEST, SIGN, VERIFY, SIGN_RECOVER, VERIFY_RECOVER
}
