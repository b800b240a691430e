package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;

import io.jhsm.pkcs11.CKR;

/** Digests, signatures and MACs, including the recover variants. */
final class DigestSignCallbacks {
    private DigestSignCallbacks() {}

    static void install(CallbackRegistry r) {
        r.put(C_DigestInit, Guard.f2("C_DigestInit", (h, pMech) -> {
            Module.engine().C_DigestInit(h, MechanismCodec.decodeOptional(pMech));
            return CKR.OK;
        }));
        r.put(C_Digest, Guard.f5("C_Digest", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_Digest(h, in, out));
        }, OperationCall.DIGEST)));
        r.put(C_DigestUpdate, Guard.f3("C_DigestUpdate", (h, pIn, ulIn) -> OperationCall.ending(h, () -> {
            Module.engine().C_DigestUpdate(h, NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE));
            return CKR.OK;
        }, OperationCall.DIGEST)));
        r.put(C_DigestKey, Guard.f2("C_DigestKey", (h, hKey) -> {
            Module.engine().C_DigestKey(h, hKey);
            return CKR.OK;
        }));
        r.put(C_DigestFinal, Guard.f3("C_DigestFinal", (h, pOut, pulOut) -> OperationCall.ending(h, () ->
                OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_DigestFinal(h, out)), OperationCall.DIGEST)));
        r.put(C_SignInit, Guard.f3("C_SignInit", (h, pMech, hKey) -> {
            Module.engine().C_SignInit(h, MechanismCodec.decodeOptional(pMech), hKey);
            return CKR.OK;
        }));
        r.put(C_Sign, Guard.f5("C_Sign", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_Sign(h, in, out));
        }, OperationCall.SIGN)));
        r.put(C_SignUpdate, Guard.f3("C_SignUpdate", (h, pIn, ulIn) -> OperationCall.ending(h, () -> {
            Module.engine().C_SignUpdate(h, NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE));
            return CKR.OK;
        }, OperationCall.SIGN)));
        r.put(C_SignFinal, Guard.f3("C_SignFinal", (h, pOut, pulOut) -> OperationCall.ending(h, () ->
                OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_SignFinal(h, out)), OperationCall.SIGN)));
        r.put(C_SignRecoverInit, Guard.f3("C_SignRecoverInit", (h, pMech, hKey) -> {
            Module.engine().C_SignRecoverInit(h, MechanismCodec.decodeOptional(pMech), hKey);
            return CKR.OK;
        }));
        r.put(C_SignRecover, Guard.f5("C_SignRecover", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_SignRecover(h, in, out));
        }, OperationCall.SIGN_RECOVER)));
        r.put(C_VerifyInit, Guard.f3("C_VerifyInit", (h, pMech, hKey) -> {
            Module.engine().C_VerifyInit(h, MechanismCodec.decodeOptional(pMech), hKey);
            return CKR.OK;
        }));
        r.put(C_Verify, Guard.f5("C_Verify", (h, pIn, ulIn, pSig, ulSig) -> OperationCall.ending(h, () -> {
            Module.engine().C_Verify(h, NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE), NativeMem.input(pSig, ulSig, CKR.SIGNATURE_LEN_RANGE));
            return CKR.OK;
        }, OperationCall.VERIFY)));
        r.put(C_VerifyUpdate, Guard.f3("C_VerifyUpdate", (h, pIn, ulIn) -> OperationCall.ending(h, () -> {
            Module.engine().C_VerifyUpdate(h, NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE));
            return CKR.OK;
        }, OperationCall.VERIFY)));
        r.put(C_VerifyFinal, Guard.f3("C_VerifyFinal", (h, pSig, ulSig) -> OperationCall.ending(h, () -> {
            Module.engine().C_VerifyFinal(h, NativeMem.input(pSig, ulSig, CKR.SIGNATURE_LEN_RANGE));
            return CKR.OK;
        }, OperationCall.VERIFY)));
        r.put(C_VerifyRecoverInit, Guard.f3("C_VerifyRecoverInit", (h, pMech, hKey) -> {
            Module.engine().C_VerifyRecoverInit(h, MechanismCodec.decodeOptional(pMech), hKey);
            return CKR.OK;
        }));
        r.put(C_VerifyRecover, Guard.f5("C_VerifyRecover", (h, pSig, ulSig, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] sig = NativeMem.input(pSig, ulSig, CKR.SIGNATURE_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_VerifyRecover(h, sig, out));
        }, OperationCall.VERIFY_RECOVER)));
    }
}
