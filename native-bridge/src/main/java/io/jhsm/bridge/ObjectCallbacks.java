package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;

import io.jhsm.pkcs11.CKR;

/** Object management and search. */
final class ObjectCallbacks {
    private ObjectCallbacks() {}

    static void install(CallbackRegistry r) {
        r.put(C_CreateObject, Guard.f4("C_CreateObject", (h, pTemplate, ulCount, phObject) -> {
            NativeMem.requireNonNull(phObject);
            NativeMem.writeUlong(phObject, Module.engine().C_CreateObject(h, TemplateCodec.decode(pTemplate, ulCount)));
            return CKR.OK;
        }));
        r.put(C_CopyObject, Guard.f5("C_CopyObject", (h, hObject, pTemplate, ulCount, phNew) -> {
            NativeMem.requireNonNull(phNew);
            NativeMem.writeUlong(phNew, Module.engine().C_CopyObject(h, hObject, TemplateCodec.decode(pTemplate, ulCount)));
            return CKR.OK;
        }));
        r.put(C_DestroyObject, Guard.f2("C_DestroyObject", (h, hObject) -> {
            Module.engine().C_DestroyObject(h, hObject);
            return CKR.OK;
        }));
        r.put(C_GetObjectSize, Guard.f3("C_GetObjectSize", (h, hObject, pulSize) -> {
            NativeMem.requireNonNull(pulSize);
            NativeMem.writeUlong(pulSize, Module.engine().C_GetObjectSize(h, hObject));
            return CKR.OK;
        }));
        r.put(C_GetAttributeValue, Guard.f4("C_GetAttributeValue", (h, hObject, pTemplate, ulCount) ->
                AttributeValueWriter.getAttributeValue(Module.engine(), h, hObject, pTemplate, ulCount)));
        r.put(C_SetAttributeValue, Guard.f4("C_SetAttributeValue", (h, hObject, pTemplate, ulCount) -> {
            Module.engine().C_SetAttributeValue(h, hObject, TemplateCodec.decode(pTemplate, ulCount));
            return CKR.OK;
        }));
        r.put(C_FindObjectsInit, Guard.f3("C_FindObjectsInit", (h, pTemplate, ulCount) -> {
            Module.engine().C_FindObjectsInit(h, TemplateCodec.decode(pTemplate, ulCount));
            return CKR.OK;
        }));
        r.put(C_FindObjects, Guard.f4("C_FindObjects", (h, phObject, ulMax, pulCount) -> {
            NativeMem.requireNonNull(phObject);
            NativeMem.requireNonNull(pulCount);
            // An unsigned maximum beyond int range just means "as many as there are".
            int max = ulMax < 0 || ulMax > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ulMax;
            long[] found = Module.engine().C_FindObjects(h, max);
            if (found.length > max) {
                throw new IllegalStateException("engine returned " + found.length + " objects for at most " + max);
            }
            NativeMem.at(phObject).write(0, found, 0, found.length);
            NativeMem.writeUlong(pulCount, found.length);
            return CKR.OK;
        }));
        r.put(C_FindObjectsFinal, Guard.f1("C_FindObjectsFinal", h -> {
            Module.engine().C_FindObjectsFinal(h);
            return CKR.OK;
        }));
    }
}
