package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.C_GetSessionValidationFlags;
import static io.jhsm.bridge.FunctionTable.C_UnwrapKeyAuthenticated;
import static io.jhsm.bridge.FunctionTable.C_WrapKeyAuthenticated;

import io.jhsm.pkcs11.CKR;

/**
 * C_WrapKeyAuthenticated and C_UnwrapKeyAuthenticated (PKCS#11 3.2), marshalled as C_WrapKey and
 * C_UnwrapKey plus the associated data (NULL with length 0 is none; NULL with a length is
 * CKR_ARGUMENTS_BAD), and C_GetSessionValidationFlags, whose pFlags must not be NULL.
 */
final class AuthenticatedWrapCallbacks {
    private AuthenticatedWrapCallbacks() {}

    static void install(CallbackRegistry r) {
        r.put(C_WrapKeyAuthenticated, Guard.f8("C_WrapKeyAuthenticated", (h, pMech, hWrapping, hKey, pAad, ulAad, pOut, pulOut) -> {
            var mechanism = MechanismCodec.decode(pMech);
            InOutBytes iv = GcmIvWriteBack.of(pMech, mechanism);
            byte[] aad = NativeMem.input(pAad, ulAad);
            return iv.writeBackIf(OutputBuffer.produce(pOut, pulOut,
                    out -> Module.engine().C_WrapKeyAuthenticated(h, mechanism, hWrapping, hKey, aad, out)));
        }));
        r.put(C_UnwrapKeyAuthenticated, Guard.f10("C_UnwrapKeyAuthenticated",
                (h, pMech, hUnwrapping, pWrapped, ulWrapped, pTemplate, ulCount, pAad, ulAad, phKey) -> {
                    NativeMem.requireNonNull(phKey);
                    long key = Module.engine().C_UnwrapKeyAuthenticated(h, MechanismCodec.decode(pMech), hUnwrapping,
                            NativeMem.input(pWrapped, ulWrapped, CKR.WRAPPED_KEY_LEN_RANGE), TemplateCodec.decode(pTemplate, ulCount),
                            NativeMem.input(pAad, ulAad));
                    NativeMem.writeUlong(phKey, key);
                    return CKR.OK;
                }));
        r.put(C_GetSessionValidationFlags, Guard.f3("C_GetSessionValidationFlags", (h, type, pFlags) -> {
            NativeMem.requireNonNull(pFlags);
            NativeMem.writeUlong(pFlags, Module.engine().C_GetSessionValidationFlags(h, type));
            return CKR.OK;
        }));
    }
}
