package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;

import io.jhsm.pkcs11.CKR;

/**
 * The PKCS#11 3.0 message-based functions. Each call decodes its own per-message parameter
 * ({@link MessageParam}); encryption copies the IV and tag the engine produced back into the caller's
 * struct, also after a length query or CKR_BUFFER_TOO_SMALL (the engine holds that message's output,
 * IV and tag until delivered, so they stay the same). An input the bridge refuses never reaches the
 * engine and so leaves the operation and any message in progress as they were.
 */
final class MessageCallbacks {
    private MessageCallbacks() {}

    static void install(CallbackRegistry r) {
        installCrypt(r);
        installSignVerify(r);
    }

    private static void installCrypt(CallbackRegistry r) {
        r.put(C_MessageEncryptInit, Guard.f3("C_MessageEncryptInit", (h, pMech, hKey) -> {
            Module.engine().C_MessageEncryptInit(h, MechanismCodec.decodeOptional(pMech), hKey);
            return CKR.OK;
        }));
        r.put(C_EncryptMessage, Guard.f9("C_EncryptMessage", (h, pParam, ulParam, pAad, ulAad, pIn, ulIn, pOut, pulOut) -> {
            MessageParam p = MessageParam.decode(pParam, ulParam);
            byte[] aad = NativeMem.input(pAad, ulAad);
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            long rv = OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_EncryptMessage(h, p.value, aad, in, out));
            p.writeBack();
            return rv;
        }));
        r.put(C_EncryptMessageBegin, Guard.f5("C_EncryptMessageBegin", (h, pParam, ulParam, pAad, ulAad) -> {
            MessageParam p = MessageParam.decode(pParam, ulParam);
            Module.engine().C_EncryptMessageBegin(h, p.value, NativeMem.input(pAad, ulAad));
            p.writeBack();
            return CKR.OK;
        }));
        r.put(C_EncryptMessageNext, Guard.f8("C_EncryptMessageNext", (h, pParam, ulParam, pIn, ulIn, pOut, pulOut, flags) -> {
            MessageParam p = MessageParam.decode(pParam, ulParam);
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            long rv = OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_EncryptMessageNext(h, p.value, in, out, flags));
            p.writeBack();
            return rv;
        }));
        r.put(C_MessageEncryptFinal, Guard.f1("C_MessageEncryptFinal", h -> {
            Module.engine().C_MessageEncryptFinal(h);
            return CKR.OK;
        }));
        r.put(C_MessageDecryptInit, Guard.f3("C_MessageDecryptInit", (h, pMech, hKey) -> {
            Module.engine().C_MessageDecryptInit(h, MechanismCodec.decodeOptional(pMech), hKey);
            return CKR.OK;
        }));
        r.put(C_DecryptMessage, Guard.f9("C_DecryptMessage", (h, pParam, ulParam, pAad, ulAad, pIn, ulIn, pOut, pulOut) -> {
            MessageParam p = MessageParam.decode(pParam, ulParam);
            byte[] aad = NativeMem.input(pAad, ulAad);
            byte[] in = NativeMem.input(pIn, ulIn, CKR.ENCRYPTED_DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_DecryptMessage(h, p.value, aad, in, out));
        }));
        r.put(C_DecryptMessageBegin, Guard.f5("C_DecryptMessageBegin", (h, pParam, ulParam, pAad, ulAad) -> {
            Module.engine().C_DecryptMessageBegin(h, MessageParam.decode(pParam, ulParam).value, NativeMem.input(pAad, ulAad));
            return CKR.OK;
        }));
        r.put(C_DecryptMessageNext, Guard.f8("C_DecryptMessageNext", (h, pParam, ulParam, pIn, ulIn, pOut, pulOut, flags) -> {
            MessageParam p = MessageParam.decode(pParam, ulParam);
            byte[] in = NativeMem.input(pIn, ulIn, CKR.ENCRYPTED_DATA_LEN_RANGE);
            return OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_DecryptMessageNext(h, p.value, in, out, flags));
        }));
        r.put(C_MessageDecryptFinal, Guard.f1("C_MessageDecryptFinal", h -> {
            Module.engine().C_MessageDecryptFinal(h);
            return CKR.OK;
        }));
    }

    private static void installSignVerify(CallbackRegistry r) {
        r.put(C_MessageSignInit, Guard.f3("C_MessageSignInit", (h, pMech, hKey) -> {
            Module.engine().C_MessageSignInit(h, MechanismCodec.decodeOptional(pMech), hKey);
            return CKR.OK;
        }));
        r.put(C_SignMessage, Guard.f7("C_SignMessage", (h, pParam, ulParam, pIn, ulIn, pSig, pulSig) -> {
            MessageParam p = MessageParam.decode(pParam, ulParam);
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            return OutputBuffer.produce(pSig, pulSig, out -> Module.engine().C_SignMessage(h, p.value, in, out));
        }));
        r.put(C_SignMessageBegin, Guard.f3("C_SignMessageBegin", (h, pParam, ulParam) -> {
            Module.engine().C_SignMessageBegin(h, MessageParam.decode(pParam, ulParam).value);
            return CKR.OK;
        }));
        // pulSignatureLen NULL: a part that only adds data; otherwise the last part, returning the signature.
        r.put(C_SignMessageNext, Guard.f7("C_SignMessageNext", (h, pParam, ulParam, pIn, ulIn, pSig, pulSig) -> {
            MessageParam p = MessageParam.decode(pParam, ulParam);
            byte[] in = NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE);
            if (pulSig == 0) {
                Module.engine().C_SignMessageNext(h, p.value, in, false, null);
                return CKR.OK;
            }
            return OutputBuffer.produce(pSig, pulSig, out -> Module.engine().C_SignMessageNext(h, p.value, in, true, out));
        }));
        r.put(C_MessageSignFinal, Guard.f1("C_MessageSignFinal", h -> {
            Module.engine().C_MessageSignFinal(h);
            return CKR.OK;
        }));
        r.put(C_MessageVerifyInit, Guard.f3("C_MessageVerifyInit", (h, pMech, hKey) -> {
            Module.engine().C_MessageVerifyInit(h, MechanismCodec.decodeOptional(pMech), hKey);
            return CKR.OK;
        }));
        r.put(C_VerifyMessage, Guard.f7("C_VerifyMessage", (h, pParam, ulParam, pIn, ulIn, pSig, ulSig) -> {
            Module.engine().C_VerifyMessage(h, MessageParam.decode(pParam, ulParam).value, NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE),
                    NativeMem.input(pSig, ulSig, CKR.SIGNATURE_LEN_RANGE));
            return CKR.OK;
        }));
        r.put(C_VerifyMessageBegin, Guard.f3("C_VerifyMessageBegin", (h, pParam, ulParam) -> {
            Module.engine().C_VerifyMessageBegin(h, MessageParam.decode(pParam, ulParam).value);
            return CKR.OK;
        }));
        // pSignature NULL: a part that only adds data; otherwise the last part, checked against the signature.
        r.put(C_VerifyMessageNext, Guard.f7("C_VerifyMessageNext", (h, pParam, ulParam, pIn, ulIn, pSig, ulSig) -> {
            byte[] sig = pSig == 0 ? null : NativeMem.input(pSig, ulSig, CKR.SIGNATURE_LEN_RANGE);
            Module.engine().C_VerifyMessageNext(h, MessageParam.decode(pParam, ulParam).value, NativeMem.input(pIn, ulIn, CKR.DATA_LEN_RANGE), sig);
            return CKR.OK;
        }));
        r.put(C_MessageVerifyFinal, Guard.f1("C_MessageVerifyFinal", h -> {
            Module.engine().C_MessageVerifyFinal(h);
            return CKR.OK;
        }));
    }
}
