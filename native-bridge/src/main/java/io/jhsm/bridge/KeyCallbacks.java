package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;

import io.jhsm.pkcs11.CKR;

/** Key generation, wrapping, derivation and random numbers. */
final class KeyCallbacks {
    private KeyCallbacks() {}

    static void install(CallbackRegistry r) {
        r.put(C_GenerateKey, Guard.f5("C_GenerateKey", (h, pMech, pTemplate, ulCount, phKey) -> {
            NativeMem.requireNonNull(phKey);
            long key = Module.engine().C_GenerateKey(h, MechanismCodec.decode(pMech), TemplateCodec.decode(pTemplate, ulCount));
            NativeMem.writeUlong(phKey, key);
            return CKR.OK;
        }));
        r.put(C_GenerateKeyPair, Guard.f8("C_GenerateKeyPair", (h, pMech, pPub, ulPub, pPriv, ulPriv, phPub, phPriv) -> {
            NativeMem.requireNonNull(phPub);
            NativeMem.requireNonNull(phPriv);
            long[] keys = Module.engine().C_GenerateKeyPair(h, MechanismCodec.decode(pMech),
                    TemplateCodec.decode(pPub, ulPub), TemplateCodec.decode(pPriv, ulPriv));
            NativeMem.writeUlong(phPub, keys[0]);
            NativeMem.writeUlong(phPriv, keys[1]);
            return CKR.OK;
        }));
        r.put(C_WrapKey, Guard.f6("C_WrapKey", (h, pMech, hWrapping, hKey, pOut, pulOut) -> {
            var mechanism = MechanismCodec.decode(pMech);
            InOutBytes iv = GcmIvWriteBack.of(pMech, mechanism);
            return iv.writeBackIf(OutputBuffer.produce(pOut, pulOut, out -> Module.engine().C_WrapKey(h, mechanism, hWrapping, hKey, out)));
        }));
        r.put(C_UnwrapKey, Guard.f8("C_UnwrapKey", (h, pMech, hUnwrapping, pWrapped, ulWrapped, pTemplate, ulCount, phKey) -> {
            NativeMem.requireNonNull(phKey);
            long key = Module.engine().C_UnwrapKey(h, MechanismCodec.decode(pMech), hUnwrapping,
                    NativeMem.input(pWrapped, ulWrapped, CKR.WRAPPED_KEY_LEN_RANGE), TemplateCodec.decode(pTemplate, ulCount));
            NativeMem.writeUlong(phKey, key);
            return CKR.OK;
        }));
        r.put(C_DeriveKey, Guard.f6("C_DeriveKey", (h, pMech, hBase, pTemplate, ulCount, phKey) -> {
            // phKey may be NULL for mechanisms that derive no single key (e.g. SSL/TLS key material); the engine decides.
            long key = Module.engine().C_DeriveKey(h, MechanismCodec.decode(pMech), hBase, TemplateCodec.decode(pTemplate, ulCount));
            if (phKey != 0) {
                NativeMem.writeUlong(phKey, key);
            }
            return CKR.OK;
        }));
        r.put(C_SeedRandom, Guard.f3("C_SeedRandom", (h, pSeed, ulLen) -> {
            Module.engine().C_SeedRandom(h, NativeMem.input(pSeed, ulLen));
            return CKR.OK;
        }));
        r.put(C_GenerateRandom, Guard.f3("C_GenerateRandom", (h, pOut, ulLen) -> {
            int n = NativeMem.length(ulLen, CKR.ARGUMENTS_BAD);
            if (n > 0) {
                NativeMem.requireNonNull(pOut);
            }
            byte[] random = new byte[n];
            Module.engine().C_GenerateRandom(h, random);
            NativeMem.write(pOut, random, n);
            return CKR.OK;
        }));
    }
}
