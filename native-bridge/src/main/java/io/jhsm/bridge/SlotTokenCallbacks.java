package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;

import io.jhsm.pkcs11.CKR;

/** Slot and token management. */
final class SlotTokenCallbacks {
    private SlotTokenCallbacks() {}

    /** CK_UTF8CHAR label[32] of C_InitToken. */
    static final int LABEL_SIZE = 32;

    static void install(CallbackRegistry r) {
        r.put(C_GetSlotList, Guard.f3("C_GetSlotList", (tokenPresent, pSlotList, pulCount) -> {
            NativeMem.requireNonNull(pulCount);
            // CK_BBOOL: only the low byte is defined by the ABI.
            long[] slots = Module.engine().C_GetSlotList((tokenPresent & 0xFF) != 0);
            return NativeMem.writeUlongArray(pSlotList, pulCount, slots);
        }));
        r.put(C_GetSlotInfo, Guard.f2("C_GetSlotInfo", (slot, pInfo) -> {
            NativeMem.requireNonNull(pInfo);
            InfoCodec.write(pInfo, Module.engine().C_GetSlotInfo(slot));
            return CKR.OK;
        }));
        r.put(C_GetTokenInfo, Guard.f2("C_GetTokenInfo", (slot, pInfo) -> {
            NativeMem.requireNonNull(pInfo);
            InfoCodec.write(pInfo, Module.engine().C_GetTokenInfo(slot));
            return CKR.OK;
        }));
        r.put(C_GetMechanismList, Guard.f3("C_GetMechanismList", (slot, pList, pulCount) -> {
            NativeMem.requireNonNull(pulCount);
            return NativeMem.writeUlongArray(pList, pulCount, Module.engine().C_GetMechanismList(slot));
        }));
        r.put(C_GetMechanismInfo, Guard.f3("C_GetMechanismInfo", (slot, type, pInfo) -> {
            NativeMem.requireNonNull(pInfo);
            InfoCodec.write(pInfo, Module.engine().C_GetMechanismInfo(slot, type));
            return CKR.OK;
        }));
        r.put(C_InitToken, Guard.f4("C_InitToken", (slot, pPin, ulPinLen, pLabel) -> {
            NativeMem.requireNonNull(pLabel);
            byte[] label = NativeMem.input(pLabel, LABEL_SIZE);
            Module.engine().C_InitToken(slot, NativeMem.optionalInput(pPin, ulPinLen), label);
            return CKR.OK;
        }));
        r.put(C_InitPIN, Guard.f3("C_InitPIN", (h, pPin, ulPinLen) -> {
            Module.engine().C_InitPIN(h, NativeMem.optionalInput(pPin, ulPinLen));
            return CKR.OK;
        }));
        r.put(C_SetPIN, Guard.f5("C_SetPIN", (h, pOld, ulOld, pNew, ulNew) -> {
            Module.engine().C_SetPIN(h, NativeMem.optionalInput(pOld, ulOld), NativeMem.optionalInput(pNew, ulNew));
            return CKR.OK;
        }));
        r.put(C_WaitForSlotEvent, Guard.f3("C_WaitForSlotEvent", (flags, pSlot, pReserved) -> {
            NativeMem.requireNonNull(pSlot);
            if (pReserved != 0) {
                return CKR.ARGUMENTS_BAD;
            }
            NativeMem.writeUlong(pSlot, Module.engine().C_WaitForSlotEvent(flags));
            return CKR.OK;
        }));
    }
}
