package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.C_VerifySignature;
import static io.jhsm.bridge.FunctionTable.C_VerifySignatureFinal;
import static io.jhsm.bridge.FunctionTable.C_VerifySignatureInit;
import static io.jhsm.bridge.FunctionTable.C_VerifySignatureUpdate;

import io.jhsm.pkcs11.CKR;

/**
 * C_VerifySignatureInit, C_VerifySignature, C_VerifySignatureUpdate and C_VerifySignatureFinal
 * (PKCS#11 3.2): the signature comes with the Init call. A NULL pSignature with length 0 is an empty
 * signature, which the verification then finds CKR_SIGNATURE_LEN_RANGE; NULL with a length is
 * CKR_ARGUMENTS_BAD. A NULL pMechanism ends the active operation, as for the other Init calls.
 */
final class VerifySignatureCallbacks {
    private VerifySignatureCallbacks() {}

    static void install(CallbackRegistry r) {
        r.put(C_VerifySignatureInit, Guard.f5("C_VerifySignatureInit", (h, pMech, hKey, pSig, ulSig) -> {
            var mechanism = MechanismCodec.decodeOptional(pMech);
            byte[] signature = mechanism == null ? null : NativeMem.input(pSig, ulSig);
            Module.engine().C_VerifySignatureInit(h, mechanism, hKey, signature);
            return CKR.OK;
        }));
        r.put(C_VerifySignature, Guard.f3("C_VerifySignature", (h, pIn, ulIn) -> OperationCall.ending(h, () -> {
            Module.engine().C_VerifySignature(h, NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE));
            return CKR.OK;
        }, OperationCall.VERIFY_SIGNATURE)));
        r.put(C_VerifySignatureUpdate, Guard.f3("C_VerifySignatureUpdate", (h, pIn, ulIn) -> OperationCall.ending(h, () -> {
            Module.engine().C_VerifySignatureUpdate(h, NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE));
            return CKR.OK;
        }, OperationCall.VERIFY_SIGNATURE)));
        r.put(C_VerifySignatureFinal, Guard.f1("C_VerifySignatureFinal", h -> {
            Module.engine().C_VerifySignatureFinal(h);
            return CKR.OK;
        }));
    }
}
