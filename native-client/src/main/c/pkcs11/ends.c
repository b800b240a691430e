/*
 * PKCS#11 5.2: an error from C_Encrypt, C_DigestUpdate, C_SignFinal … (anything but CKR_BUFFER_TOO_SMALL)
 * ends the active operation. The node ends it for the errors it finds; an argument refused here never
 * reaches it, so the operation is ended here, as the bridge's OperationCall does: an Init with no
 * mechanism for each operation the function continues.
 */
#include "jc_api.h"

static void end_one(CK_SESSION_HANDLE h, Jhsm__V1__Request__FunctionCase init) {
    Req req = JHSM__V1__REQUEST__INIT;
    Jhsm__V1__OperationInit op = JHSM__V1__OPERATION_INIT__INIT;
    Jhsm__V1__VerifySignatureInit vs = JHSM__V1__VERIFY_SIGNATURE_INIT__INIT;
    SET(op, session, h);
    SET(vs, session, h);
    jc_put(&req, init, init == FN(VERIFY_SIGNATURE_INIT) ? (void *) &vs : (void *) &op);
    Resp *resp = NULL;
    if (jc_net_call(&req, &resp) == CKR_OK && resp != NULL) {
        jc_net_free(resp); /* an invalid session has no operation to end: the caller sees the first error */
    }
}

CK_RV jc_ending(CK_SESSION_HANDLE h, unsigned ends, CK_RV rv) {
    static const struct { unsigned end; Jhsm__V1__Request__FunctionCase init; } inits[] = {
        {JC_END_ENCRYPT, FN(ENCRYPT_INIT)}, {JC_END_DECRYPT, FN(DECRYPT_INIT)},
        {JC_END_DIGEST, FN(DIGEST_INIT)}, {JC_END_SIGN, FN(SIGN_INIT)}, {JC_END_VERIFY, FN(VERIFY_INIT)},
        {JC_END_SIGN_RECOVER, FN(SIGN_RECOVER_INIT)}, {JC_END_VERIFY_RECOVER, FN(VERIFY_RECOVER_INIT)},
        {JC_END_VERIFY_SIGNATURE, FN(VERIFY_SIGNATURE_INIT)},
    };
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_NOT_INITIALIZED) {
        for (size_t i = 0; i < sizeof(inits) / sizeof(inits[0]); i++) {
            if (ends & inits[i].end) {
                end_one(h, inits[i].init);
            }
        }
    }
    return rv;
}
