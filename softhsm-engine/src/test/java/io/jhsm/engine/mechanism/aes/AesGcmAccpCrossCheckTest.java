package io.jhsm.engine.mechanism.aes;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.Accp;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.Providers;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.MechanismParams;
import java.security.Provider;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CKM_AES_GCM on ACCP against SunJCE (the portable backend) and Bouncy Castle (independent), on random keys,
 * IVs of every length PKCS#11 allows here (not only the 12-byte fast path), AAD, tag lengths and part splits;
 * always runs ACCP whatever JHSM_CRYPTO says.
 */
class AesGcmAccpCrossCheckTest {
    private static Provider accp;

    @BeforeAll
    static void loadAccp() {
        accp = Accp.provider();
    }

    /** Runs parts through an operation, checking before each step that the length it announced is an upper bound. */
    private static byte[] runChecked(CipherOperation op, byte[] data, int split) {
        int s = Math.min(split, data.length);
        byte[] a = Arrays.copyOfRange(data, 0, s);
        byte[] b = Arrays.copyOfRange(data, s, data.length);
        int boundA = op.outputBound(a.length, false);
        byte[] outA = op.update(a);
        assertTrue(outA.length <= boundA, "update released " + outA.length + " after announcing " + boundA);
        int boundB = op.outputBound(b.length, true);
        byte[] outB = concat(op.update(b), op.doFinal());
        assertTrue(outB.length <= boundB, "final released " + outB.length + " after announcing " + boundB);
        return concat(outA, outB);
    }

    @Test
    void gcmOnAccpEqualsSunJceAndBouncyCastleForAnyIvAadTagAndSplit() {
        // sizes: key length (3) x tag length (5), one generator because QuickTheories takes four at most
        qt().withExamples(60).forAll(integers().between(0, 14), integers().between(1, 80), integers().between(0, 60),
                integers().between(0, 300)).checkAssert((sizes, ivLen, aadLen, len) -> {
            int keyIndex = sizes % 3;
            int tagIndex = sizes / 3;
            long seed = ivLen * 1000L + aadLen * 10L + len + sizes;
            SecretKeySpec key = new SecretKeySpec(bytes(16 + 8 * keyIndex, seed), "AES");
            byte[] iv = ivLen > 70 ? bytes(12, seed) : bytes(ivLen, seed + 1); // weight the 12-byte fast path
            byte[] aad = bytes(aadLen, seed + 2);
            int tagBits = 96 + 8 * tagIndex;
            byte[] pt = bytes(len, seed + 3);
            int split = (int) (seed % (len + 1));
            MechanismParams.Gcm p = new MechanismParams.Gcm(iv, iv.length * 8L, aad, tagBits);

            byte[] ct = runChecked(AesGcmCipher.create(accp, key, p, true), pt, split);
            assertArrayEquals(runChecked(AesGcmCipher.create(Providers.SUN_JCE, key, p, true), pt, split), ct);
            assertArrayEquals(AesFamilyTest.bcGcm(key.getEncoded(), iv, aad, tagBits, pt), ct);
            assertEquals(len + tagBits / 8, ct.length);
            assertArrayEquals(pt, runChecked(AesGcmCipher.create(accp, key, p, false), ct, split));

            byte[] tampered = ct.clone();
            tampered[(int) (seed % ct.length)] ^= 1;
            CipherOperation d = AesGcmCipher.create(accp, key, p, false);
            assertEquals(0, d.update(tampered).length, "no plaintext before the tag is checked");
            assertRv(CKR.ENCRYPTED_DATA_INVALID, d::doFinal);
        });
    }

    @Test
    void gcmOnAccpRejectsCiphertextShorterThanTheTag() {
        MechanismParams.Gcm p = new MechanismParams.Gcm(bytes(12, 1), 96, new byte[0], 128);
        CipherOperation d = AesGcmCipher.create(accp, new SecretKeySpec(bytes(32, 2), "AES"), p, false);
        d.update(new byte[15]);
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, d::doFinal);
    }
}
