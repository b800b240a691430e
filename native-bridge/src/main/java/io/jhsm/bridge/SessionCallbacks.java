package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;

import io.jhsm.pkcs11.CKR;

/**
 * Sessions, login and operation state. C_OpenSession's pApplication and Notify are never called back (PKCS#11 lets
 * a library make no notify calls); whether a Notify was given goes to the engine, as CloudHSM's library refuses one.
 */
final class SessionCallbacks {
    private SessionCallbacks() {}

    static void install(CallbackRegistry r) {
        r.put(C_OpenSession, Guard.f5("C_OpenSession", (slot, flags, pApplication, notify, phSession) -> {
            NativeMem.requireNonNull(phSession);
            NativeMem.writeUlong(phSession, Module.engine().C_OpenSession(slot, flags, notify != 0));
            return CKR.OK;
        }));
        r.put(C_CloseSession, Guard.f1("C_CloseSession", h -> {
            Module.engine().C_CloseSession(h);
            return CKR.OK;
        }));
        r.put(C_CloseAllSessions, Guard.f1("C_CloseAllSessions", slot -> {
            Module.engine().C_CloseAllSessions(slot);
            return CKR.OK;
        }));
        r.put(C_GetSessionInfo, Guard.f2("C_GetSessionInfo", (h, pInfo) -> {
            NativeMem.requireNonNull(pInfo);
            InfoCodec.write(pInfo, Module.engine().C_GetSessionInfo(h));
            return CKR.OK;
        }));
        r.put(C_GetOperationState, Guard.f3("C_GetOperationState", (h, pState, pulLen) ->
                OutputBuffer.produce(pState, pulLen, out -> Module.engine().C_GetOperationState(h, out))));
        r.put(C_SetOperationState, Guard.f5("C_SetOperationState", (h, pState, ulLen, hEnc, hAuth) -> {
            Module.engine().C_SetOperationState(h, NativeMem.input(pState, ulLen, CKR.SAVED_STATE_INVALID), hEnc, hAuth);
            return CKR.OK;
        }));
        r.put(C_Login, Guard.f4("C_Login", (h, userType, pPin, ulPinLen) -> {
            Module.engine().C_Login(h, userType, NativeMem.optionalInput(pPin, ulPinLen));
            return CKR.OK;
        }));
        r.put(C_LoginUser, Guard.f6("C_LoginUser", (h, userType, pPin, ulPinLen, pUser, ulUserLen) -> {
            NativeMem.requireNonNull(pUser);
            Module.engine().C_LoginUser(h, userType, NativeMem.optionalInput(pPin, ulPinLen), NativeMem.input(pUser, ulUserLen));
            return CKR.OK;
        }));
        r.put(C_Logout, Guard.f1("C_Logout", h -> {
            Module.engine().C_Logout(h);
            return CKR.OK;
        }));
        r.put(C_SessionCancel, Guard.f2("C_SessionCancel", (h, flags) -> {
            Module.engine().C_SessionCancel(h, flags);
            return CKR.OK;
        }));
    }
}
