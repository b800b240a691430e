package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;

import io.jhsm.pkcs11.CKR;

/**
 * The PKCS#11 3.0 message-based functions, which the Cryptoki interface does not have: each answers
 * CKR_FUNCTION_NOT_SUPPORTED, as the specification asks of an unsupported function's stub. A
 * constant answer cannot throw, so these need no Guard.
 */
final class UnsupportedCallbacks {
    private UnsupportedCallbacks() {}

    private static final long NO = CKR.FUNCTION_NOT_SUPPORTED;

    static void install(CallbackRegistry r) {
        for (int i : new int[] {C_MessageEncryptInit, C_MessageDecryptInit, C_MessageSignInit, C_MessageVerifyInit}) {
            r.put(i, (Shapes.F3) (a, b, c) -> NO);
        }
        for (int i : new int[] {C_MessageEncryptFinal, C_MessageDecryptFinal, C_MessageSignFinal, C_MessageVerifyFinal}) {
            r.put(i, (Shapes.F1) a -> NO);
        }
        for (int i : new int[] {C_EncryptMessage, C_DecryptMessage}) {
            r.put(i, (Shapes.F9) (a, b, c, d, e, f, g, h, j) -> NO);
        }
        for (int i : new int[] {C_EncryptMessageBegin, C_DecryptMessageBegin}) {
            r.put(i, (Shapes.F5) (a, b, c, d, e) -> NO);
        }
        for (int i : new int[] {C_EncryptMessageNext, C_DecryptMessageNext}) {
            r.put(i, (Shapes.F8) (a, b, c, d, e, f, g, h) -> NO);
        }
        for (int i : new int[] {C_SignMessageBegin, C_VerifyMessageBegin}) {
            r.put(i, (Shapes.F3) (a, b, c) -> NO);
        }
        for (int i : new int[] {C_SignMessage, C_SignMessageNext, C_VerifyMessage, C_VerifyMessageNext}) {
            r.put(i, (Shapes.F7) (a, b, c, d, e, f, g) -> NO);
        }
    }
}
