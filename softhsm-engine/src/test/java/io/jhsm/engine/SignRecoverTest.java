package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** C_SignRecover / C_VerifyRecover with RSA, checked against the JDK's raw PKCS#1 v1.5 signature. */
class SignRecoverTest extends LoggedInUserTest {
    private long[] rsaPair() {
        return f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.MODULUS_BITS, 2048L)), List.of());
    }

    @Test
    void signRecoverVerifiesUnderTheJdkAndVerifyRecoverGivesTheDataBack() throws Exception {
        long[] pair = rsaPair();
        byte[] data = bytes("recoverable message");
        f.engine.C_SignRecoverInit(s, Mechanism.of(CKM.RSA_PKCS), pair[1]);
        byte[] sig = new byte[f.engine.C_SignRecover(s, data, null)];
        f.engine.C_SignRecover(s, data, sig);
        var values = f.engine.C_GetAttributeValue(s, pair[0], new long[] {CKA.MODULUS, CKA.PUBLIC_EXPONENT});
        RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, values.get(0).value()), new BigInteger(1, values.get(1).value())));
        Signature jdk = Signature.getInstance("NONEwithRSA");
        jdk.initVerify(pub);
        jdk.update(data);
        org.junit.jupiter.api.Assertions.assertTrue(jdk.verify(sig));
        f.engine.C_VerifyRecoverInit(s, Mechanism.of(CKM.RSA_PKCS), pair[0]);
        byte[] recovered = new byte[256];
        int n = f.engine.C_VerifyRecover(s, sig, recovered);
        assertArrayEquals(data, java.util.Arrays.copyOf(recovered, n));
    }

    @Test
    void forgedSignatureRecoversNothing() {
        long[] pair = rsaPair();
        byte[] junk = new byte[256];
        junk[255] = 7;
        f.engine.C_VerifyRecoverInit(s, Mechanism.of(CKM.RSA_PKCS), pair[0]);
        assertRv(CKR.SIGNATURE_INVALID, () -> f.engine.C_VerifyRecover(s, junk, new byte[256]));
        f.engine.C_VerifyRecoverInit(s, Mechanism.of(CKM.RSA_PKCS), pair[0]);
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> f.engine.C_VerifyRecover(s, new byte[10], new byte[256]));
    }

    @Test
    void hashedMechanismsDoNotRecover() {
        long[] pair = rsaPair();
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_SignRecoverInit(s, Mechanism.of(CKM.SHA256_RSA_PKCS), pair[1]));
    }
}
