package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.C_DecapsulateKey;
import static io.jhsm.bridge.FunctionTable.C_EncapsulateKey;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Encapsulation;

/**
 * C_EncapsulateKey and C_DecapsulateKey (PKCS#11 3.2). The ciphertext follows the two-call protocol:
 * pCiphertext NULL, or *pulCiphertextLen too small, reports the length and creates no key.
 */
final class KemCallbacks {
    private KemCallbacks() {}

    static void install(CallbackRegistry r) {
        r.put(C_EncapsulateKey, Guard.f8("C_EncapsulateKey", (h, pMech, hPublicKey, pTemplate, ulCount, pCiphertext, pulLen, phKey) -> {
            NativeMem.requireNonNull(pulLen);
            var mechanism = MechanismCodec.decode(pMech);
            var template = TemplateCodec.decode(pTemplate, ulCount);
            Pointer len = NativeMem.at(pulLen);
            if (pCiphertext == 0) {
                len.setLong(0, Module.engine().C_EncapsulateKey(h, mechanism, hPublicKey, template, null).ciphertextLength());
                return CKR.OK;
            }
            NativeMem.requireNonNull(phKey);
            long capacity = len.getLong(0);
            byte[] out = new byte[(int) Math.min(capacity < 0 ? NativeMem.MAX_ARRAY : capacity, OutputBuffer.FIRST_TRY)];
            Encapsulation e;
            try {
                e = Module.engine().C_EncapsulateKey(h, mechanism, hPublicKey, template, out);
            } catch (BufferTooSmallException small) {
                len.setLong(0, small.requiredLength());
                return CKR.BUFFER_TOO_SMALL;
            }
            NativeMem.write(pCiphertext, out, e.ciphertextLength());
            len.setLong(0, e.ciphertextLength());
            NativeMem.writeUlong(phKey, e.hKey());
            return CKR.OK;
        }));
        r.put(C_DecapsulateKey, Guard.f8("C_DecapsulateKey", (h, pMech, hPrivateKey, pTemplate, ulCount, pCiphertext, ulLen, phKey) -> {
            NativeMem.requireNonNull(phKey);
            NativeMem.requireNonNull(pCiphertext);
            long key = Module.engine().C_DecapsulateKey(h, MechanismCodec.decode(pMech), hPrivateKey,
                    TemplateCodec.decode(pTemplate, ulCount), NativeMem.input(pCiphertext, ulLen, CKR.WRAPPED_KEY_LEN_RANGE));
            NativeMem.writeUlong(phKey, key);
            return CKR.OK;
        }));
    }
}
