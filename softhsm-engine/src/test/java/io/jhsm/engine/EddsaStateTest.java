package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * C_GetOperationState / C_SetOperationState for CKM_EDDSA: a state saved after C_SignInit or
 * C_VerifyInit finishes in another session exactly like the original. Ed25519 is deterministic, so the
 * continued signature equals the one-shot one, and the JDK's own Ed25519 verifies it.
 */
class EddsaStateTest extends LoggedInUserTest {
    private static final byte[] ED25519 = {0x06, 0x03, 0x2b, 0x65, 0x70};
    private static final byte[] ED448 = {0x06, 0x03, 0x2b, 0x65, 0x71};
    private static final byte[] DATA = bytes("the message signed after a restore");

    private long[] pair(byte[] curve) {
        return f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.EC_EDWARDS_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.EC_PARAMS, curve), Attribute.of(CKA.VERIFY, true)), List.of(Attribute.of(CKA.SIGN, true)));
    }

    private byte[] save(long session) {
        byte[] state = new byte[f.engine.C_GetOperationState(session, null)];
        f.engine.C_GetOperationState(session, state);
        return state;
    }

    private byte[] sign(long session, byte[] data) {
        byte[] sig = new byte[114];
        return Arrays.copyOf(sig, f.engine.C_Sign(session, data, sig));
    }

    /** The JDK's view of a token Ed25519 public key: CKA_EC_POINT is a DER OCTET STRING of the 32-byte key. */
    private PublicKey jdkEd25519(long publicKey) throws Exception {
        byte[] point = f.engine.C_GetAttributeValue(s, publicKey, new long[] {CKA.EC_POINT}).get(0).value();
        byte[] raw = Arrays.copyOfRange(point, point.length - 32, point.length);
        byte[] spki = new byte[44];
        byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
        System.arraycopy(prefix, 0, spki, 0, prefix.length);
        System.arraycopy(raw, 0, spki, prefix.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    @Test
    void aRestoredEd25519SignatureEqualsTheOneShotOneAndTheJdkVerifiesIt() throws Exception {
        long[] ed = pair(ED25519);
        f.engine.C_SignInit(s, Mechanism.of(CKM.EDDSA), ed[1]);
        byte[] state = save(s);
        byte[] oneShot = sign(s, DATA);
        long other = f.rwSession();
        f.engine.C_SetOperationState(other, state, 0, ed[1]);
        byte[] continued = sign(other, DATA);
        assertArrayEquals(oneShot, continued);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(jdkEd25519(ed[0]));
        jdk.update(DATA);
        assertTrue(jdk.verify(continued));
    }

    @Test
    void aRestoredVerificationStillTellsGoodFromBadSignatures() {
        long[] ed = pair(ED448);
        f.engine.C_SignInit(s, Mechanism.of(CKM.EDDSA), ed[1]);
        byte[] sig = sign(s, DATA);
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.EDDSA), ed[0]);
        byte[] state = save(s);
        f.engine.C_Verify(s, DATA, sig);
        long other = f.rwSession();
        f.engine.C_SetOperationState(other, state, 0, ed[0]);
        byte[] tampered = sig.clone();
        tampered[0] ^= 1;
        assertRv(CKR.SIGNATURE_INVALID, () -> f.engine.C_Verify(other, DATA, tampered));
        f.engine.C_SetOperationState(other, state, 0, ed[0]);
        f.engine.C_Verify(other, DATA, sig);
    }

    @Test
    void preHashAndContextVariantsRestoreToo() {
        for (byte[] curve : new byte[][] {ED25519, ED448}) {
            long[] ed = pair(curve);
            for (MechanismParams.Eddsa p : List.of(new MechanismParams.Eddsa(true, bytes("ctx")), new MechanismParams.Eddsa(false, bytes("ctx")))) {
                Mechanism m = Mechanism.of(CKM.EDDSA, p);
                f.engine.C_SignInit(s, m, ed[1]);
                byte[] state = save(s);
                byte[] oneShot = sign(s, DATA);
                long other = f.rwSession();
                f.engine.C_SetOperationState(other, state, 0, ed[1]);
                assertArrayEquals(oneShot, sign(other, DATA));
                f.engine.C_VerifyInit(s, m, ed[0]);
                f.engine.C_Verify(s, DATA, oneShot);
                f.engine.C_VerifyInit(s, Mechanism.of(CKM.EDDSA), ed[0]);
                assertRv(CKR.SIGNATURE_INVALID, () -> f.engine.C_Verify(s, DATA, oneShot));
            }
        }
    }
}
