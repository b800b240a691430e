package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;

import io.jhsm.pkcs11.CKR;

/** Encryption, decryption and the dual-function updates, all (input, output) shaped. */
final class CipherCallbacks {
    private CipherCallbacks() {}

    static void install(CallbackRegistry r) {
        r.put(C_EncryptInit, Guard.f3("C_EncryptInit", (h, pMech, hKey) -> {
            var mechanism = MechanismCodec.decodeOptional(pMech);
            InOutBytes iv = GcmIvWriteBack.of(pMech, mechanism);
            Module.engine().C_EncryptInit(h, mechanism, hKey);
            iv.writeBack(); // a cloudhsm token's generated GCM IV, while the caller's struct is still valid
            return CKR.OK;
        }));
        r.put(C_Encrypt, Guard.f5("C_Encrypt", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_Encrypt(h, in, out));
        }, OperationCall.ENCRYPT)));
        r.put(C_EncryptUpdate, Guard.f5("C_EncryptUpdate", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_EncryptUpdate(h, in, out));
        }, OperationCall.ENCRYPT)));
        r.put(C_EncryptFinal, Guard.f3("C_EncryptFinal", (h, pOut, pulOut) -> OperationCall.ending(h, () ->
                OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_EncryptFinal(h, out)), OperationCall.ENCRYPT)));
        r.put(C_DecryptInit, Guard.f3("C_DecryptInit", (h, pMech, hKey) -> {
            Module.engine().C_DecryptInit(h, MechanismCodec.decodeOptional(pMech), hKey);
            return CKR.OK;
        }));
        r.put(C_Decrypt, Guard.f5("C_Decrypt", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.ENCRYPTED_DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_Decrypt(h, in, out));
        }, OperationCall.DECRYPT)));
        r.put(C_DecryptUpdate, Guard.f5("C_DecryptUpdate", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.ENCRYPTED_DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_DecryptUpdate(h, in, out));
        }, OperationCall.DECRYPT)));
        r.put(C_DecryptFinal, Guard.f3("C_DecryptFinal", (h, pOut, pulOut) -> OperationCall.ending(h, () ->
                OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_DecryptFinal(h, out)), OperationCall.DECRYPT)));
        r.put(C_DigestEncryptUpdate, Guard.f5("C_DigestEncryptUpdate", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_DigestEncryptUpdate(h, in, out));
        }, OperationCall.DIGEST, OperationCall.ENCRYPT)));
        r.put(C_DecryptDigestUpdate, Guard.f5("C_DecryptDigestUpdate", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.ENCRYPTED_DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_DecryptDigestUpdate(h, in, out));
        }, OperationCall.DECRYPT, OperationCall.DIGEST)));
        r.put(C_SignEncryptUpdate, Guard.f5("C_SignEncryptUpdate", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_SignEncryptUpdate(h, in, out));
        }, OperationCall.SIGN, OperationCall.ENCRYPT)));
        r.put(C_DecryptVerifyUpdate, Guard.f5("C_DecryptVerifyUpdate", (h, pIn, ulIn, pOut, pulOut) -> OperationCall.ending(h, () -> {
            byte[] in = NativeMem.input(pIn, ulIn, CKR.ENCRYPTED_DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_DecryptVerifyUpdate(h, in, out));
        }, OperationCall.DECRYPT, OperationCall.VERIFY)));
    }
}
