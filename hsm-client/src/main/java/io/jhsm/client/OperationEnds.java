package io.jhsm.client;

import io.jhsm.pkcs11.CKF;
import io.jhsm.protocol.v1.Request;

/**
 * Which active operation a function's error ends. PKCS#11 §5.2: an error from C_Encrypt, C_DigestUpdate,
 * C_SignFinal … (anything but CKR_BUFFER_TOO_SMALL) terminates the operation. When a request is refused
 * before it reaches PKCS#11 on the node (larger than the node accepts), the client ends that operation
 * itself with C_SessionCancel, so the application sees the same state as after any other error.
 */
final class OperationEnds {
    private OperationEnds() {}

    /** The CKF_ flags of C_SessionCancel for the operations this function continues, or 0. */
    static long of(Request.FunctionCase f) {
        switch (f) {
            case ENCRYPT: case ENCRYPT_UPDATE: case ENCRYPT_FINAL: return CKF.ENCRYPT;
            case DECRYPT: case DECRYPT_UPDATE: case DECRYPT_FINAL: return CKF.DECRYPT;
            case DIGEST: case DIGEST_UPDATE: case DIGEST_KEY: case DIGEST_FINAL: return CKF.DIGEST;
            case SIGN: case SIGN_UPDATE: case SIGN_FINAL: return CKF.SIGN;
            case SIGN_RECOVER: return CKF.SIGN_RECOVER;
            case VERIFY: case VERIFY_UPDATE: case VERIFY_FINAL:
            case VERIFY_SIGNATURE: case VERIFY_SIGNATURE_UPDATE: case VERIFY_SIGNATURE_FINAL: return CKF.VERIFY;
            case VERIFY_RECOVER: return CKF.VERIFY_RECOVER;
            case DIGEST_ENCRYPT_UPDATE: return CKF.DIGEST | CKF.ENCRYPT;
            case DECRYPT_DIGEST_UPDATE: return CKF.DECRYPT | CKF.DIGEST;
            case SIGN_ENCRYPT_UPDATE: return CKF.SIGN | CKF.ENCRYPT;
            case DECRYPT_VERIFY_UPDATE: return CKF.DECRYPT | CKF.VERIFY;
            default: return 0;
        }
    }
}
