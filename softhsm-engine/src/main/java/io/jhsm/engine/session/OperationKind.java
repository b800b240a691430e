package io.jhsm.engine.session;

/**
 * The operation slots of a session: at most one active operation of each kind. The MESSAGE_ kinds
 * hold PKCS#11 3.0 message-based operations, which serve many messages until their Final call and
 * may run beside the classic operation of the same direction. VERIFY_SIGNATURE is PKCS#11 3.2's
 * C_VerifySignatureInit, whose signature comes before the data.
 */
public enum OperationKind {
    FIND, ENCRYPT, DECRYPT, DIGEST, SIGN, VERIFY, VERIFY_SIGNATURE, SIGN_RECOVER, VERIFY_RECOVER,
    MESSAGE_ENCRYPT, MESSAGE_DECRYPT, MESSAGE_SIGN, MESSAGE_VERIFY
}
