package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;

import io.jhsm.pkcs11.CKR;

/** C_Initialize, C_Finalize, C_GetInfo and the legacy parallel-function stubs. */
final class GeneralCallbacks {
    private GeneralCallbacks() {}

    static void install(CallbackRegistry r) {
        r.put(C_Initialize, Guard.f1("C_Initialize", pInitArgs -> {
            Module.initialize(InitArgsCodec.decode(pInitArgs));
            return CKR.OK;
        }));
        r.put(C_Finalize, Guard.f1("C_Finalize", pReserved -> {
            if (pReserved != 0) {
                return CKR.ARGUMENTS_BAD;
            }
            Module.finalizeModule();
            return CKR.OK;
        }));
        r.put(C_GetInfo, Guard.f1("C_GetInfo", pInfo -> {
            NativeMem.requireNonNull(pInfo);
            InfoCodec.write(pInfo, Module.engine().C_GetInfo());
            return CKR.OK;
        }));
        r.put(C_GetFunctionStatus, Guard.f1("C_GetFunctionStatus", h -> {
            Module.engine().C_GetFunctionStatus(h);
            return CKR.OK;
        }));
        r.put(C_CancelFunction, Guard.f1("C_CancelFunction", h -> {
            Module.engine().C_CancelFunction(h);
            return CKR.OK;
        }));
    }
}
