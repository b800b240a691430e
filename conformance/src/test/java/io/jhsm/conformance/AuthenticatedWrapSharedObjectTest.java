package io.jhsm.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * C_WrapKeyAuthenticated, C_UnwrapKeyAuthenticated (ten arguments through the shim) and
 * C_GetSessionValidationFlags through dist/libjhsm.so's PKCS#11 3.2 table; the wrapped blob is checked
 * with the JDK's AES-GCM.
 */
class AuthenticatedWrapSharedObjectTest extends SharedObject32Session {
    static final byte[] AAD = "tenant 7 / key 42".getBytes(StandardCharsets.US_ASCII);
    static final byte[] IV = "twelve bytes".getBytes(StandardCharsets.US_ASCII);
    static final Mechanism GCM = Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(IV, 96, new byte[0], 128));
    static final List<Attribute> READABLE_AES = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
            Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
    static byte[] value(long handle) {
        return p.C_GetAttributeValue(s, handle, new long[] {CKA.VALUE}).get(0).value();
    }

    static long aes(Attribute... usage) {
        List<Attribute> t = new java.util.ArrayList<>(List.of(Attribute.of(CKA.VALUE_LEN, 32L)));
        t.addAll(List.of(usage));
        return p.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), t);
    }

    @Test
    void aKeyWrappedUnderAssociatedDataIsTheJdksAesGcmAndUnwrapsOnlyWithTheSameData() throws Exception {
        long w = aes(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.UNWRAP, true), Attribute.of(CKA.ENCRYPT, false),
                Attribute.of(CKA.DECRYPT, false), Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
        long k = aes(Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
        byte[] blob = new byte[p.C_WrapKeyAuthenticated(s, GCM, w, k, AAD, null)];
        assertEquals(48, blob.length);
        assertEquals(48, p.C_WrapKeyAuthenticated(s, GCM, w, k, AAD, blob));
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(value(w), "AES"), new GCMParameterSpec(128, IV));
        jdk.updateAAD(AAD);
        assertArrayEquals(value(k), jdk.doFinal(blob));
        long back = p.C_UnwrapKeyAuthenticated(s, GCM, w, blob, READABLE_AES, AAD);
        assertArrayEquals(value(k), value(back));
        assertEquals(CKR.WRAPPED_KEY_INVALID, rv(() -> p.C_UnwrapKeyAuthenticated(s, GCM, w, blob, READABLE_AES,
                "tenant 8 / key 42".getBytes(StandardCharsets.US_ASCII))));
        long unextractable = aes(Attribute.of(CKA.EXTRACTABLE, false));
        assertEquals(CKR.KEY_UNEXTRACTABLE, rv(() -> p.C_WrapKeyAuthenticated(s, GCM, w, unextractable, AAD, null)));
    }

    @Test
    void sessionValidationFlagsAreZeroForAnOpenSession() {
        assertEquals(0, p.C_GetSessionValidationFlags(s, CKS.LAST_VALIDATION_OK));
        assertEquals(CKR.SESSION_HANDLE_INVALID, rv(() -> p.C_GetSessionValidationFlags(s + 1000, CKS.LAST_VALIDATION_OK)));
        assertEquals(CKR.ARGUMENTS_BAD, p.functions().call(FunctionList.C_GetSessionValidationFlags, s, CKS.LAST_VALIDATION_OK,
                com.sun.jna.Pointer.NULL));
    }
}
