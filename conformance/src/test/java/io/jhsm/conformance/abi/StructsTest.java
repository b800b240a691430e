package io.jhsm.conformance.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The call sites build a call's arguments as {@code f.call(C_SignInit, h, new Structs().mechanism(m), key)}:
 * only the top-level pointer is an argument, and the {@link Structs} is dropped before the module reads
 * what that pointer points to. A garbage collection then let JNA free a mechanism's parameter (or an
 * attribute's value) while the module was reading it: CK_RSA_PKCS_PSS_PARAMS read back as garbage and the
 * module rightly answered CKR_MECHANISM_PARAM_INVALID (the sign.rsa-pss-sha256 rule's rare failure).
 */
class StructsTest {
    static final Mechanism PSS = Mechanism.of(CKM.SHA256_RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA256, CKG.MGF1_SHA256, 32));

    @Test
    void aMechanismsParameterStaysAllocatedWhileTheMechanismIsPassedToACall() {
        Structs call = new Structs();
        Pointer mechanism = call.mechanism(PSS);
        WeakReference<Structs> buffers = new WeakReference<>(call);
        call = null;
        collectGarbage(buffers);
        assertNotNull(buffers.get(), "the CK_MECHANISM is still an argument, so its parameter must not be freed");
        Pointer pss = mechanism.getPointer(8);
        assertEquals(CKM.SHA256, pss.getLong(0), "hashAlg");
        assertEquals(CKG.MGF1_SHA256, pss.getLong(8), "mgf");
        assertEquals(32, pss.getLong(16), "sLen");
        Reference.reachabilityFence(mechanism);
    }

    @Test
    void anAttributesValueStaysAllocatedWhileTheTemplateIsPassedToACall() {
        byte[] label = "conformance-rsa".getBytes(StandardCharsets.UTF_8);
        Structs call = new Structs();
        Pointer template = call.template(List.of(Attribute.of(CKA.LABEL, label)));
        WeakReference<Structs> buffers = new WeakReference<>(call);
        call = null;
        collectGarbage(buffers);
        assertNotNull(buffers.get(), "the CK_ATTRIBUTE array is still an argument, so its values must not be freed");
        assertArrayEquals(label, template.getPointer(8).getByteArray(0, label.length), "CKA_LABEL's value");
        Reference.reachabilityFence(template);
    }

    /** A few full collections: enough to clear a weak reference to an unreachable object (bounded either way). */
    private static void collectGarbage(WeakReference<?> watched) {
        for (int i = 0; i < 5 && watched.get() != null; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
