package io.jhsm.engine.mechanism.ec;

import static io.jhsm.engine.mechanism.TestKeys.impl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.Accp;
import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.GeneratedKeyPair;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.Mechanism;
import java.math.BigInteger;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Test;

/**
 * ECDSA on AWS-LC (ACCP) against Bouncy Castle's, on random keys and inputs of any length on every curve: each
 * verifies the other's signatures, both refuse the same tampered ones, and the DER conversion matches BC's.
 */
class EcdsaEnginesTest {
    private static final Provider ACCP = Accp.provider();

    private record Keys(KeyView pub, KeyView priv, EcCurves.Curve curve) {}

    private static final List<Keys> KEYS = new ArrayList<>();

    static {
        for (EcCurves.Curve c : EcCurves.ALL) {
            for (int i = 0; i < 2; i++) {
                GeneratedKeyPair kp = impl(CKM.EC_KEY_PAIR_GEN).generateKeyPair(Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                        new TemplateView(List.of(Attribute.of(CKA.EC_PARAMS, c.encodedOid()))), new TemplateView(List.of()));
                KEYS.add(new Keys(TestKeys.key(CKO.PUBLIC_KEY, CKK.EC, kp.publicKey()), TestKeys.key(CKO.PRIVATE_KEY, CKK.EC, kp.privateKey()), c));
            }
        }
    }

    private static EcdsaEngine accpSigner(Keys k) {
        return AccpEcdsa.signer(ACCP, k.priv(), EcKeys.privateKey(k.priv()));
    }

    private static EcdsaEngine accpVerifier(Keys k) {
        return AccpEcdsa.verifier(ACCP, k.pub(), EcKeys.publicKey(k.pub()));
    }

    private static EcdsaEngine bcVerifier(Keys k) {
        return BcEcdsa.verifier(EcKeys.publicKey(k.pub()));
    }

    /** Raw CKM_ECDSA input of any length (20-byte SHA-1 to 64-byte SHA-512 on P-256, empty, longer): both truncate alike. */
    @Test
    void accpAndBouncyCastleVerifyEachOthersSignaturesOnInputsOfAnyLength() {
        qt().withExamples(120).forAll(integers().between(0, KEYS.size() - 1), integers().between(0, 100), integers().all())
                .checkAssert((which, length, seed) -> {
                    Keys k = KEYS.get(which);
                    byte[] input = new byte[length];
                    new Random(seed).nextBytes(input);
                    byte[] byAccp = accpSigner(k).sign(input);
                    assertEquals(2 * k.curve().orderBytes(), byAccp.length);
                    assertTrue(bcVerifier(k).verify(input, byAccp), "BC verifies ACCP's signature on " + k.curve().names().get(0));
                    byte[] byBc = BcEcdsa.signer(EcKeys.privateKey(k.priv())).sign(input);
                    assertTrue(accpVerifier(k).verify(input, byBc), "ACCP verifies BC's signature on " + k.curve().names().get(0));
                    byte[] tampered = byBc.clone();
                    tampered[new Random(seed).nextInt(tampered.length)] ^= 1;
                    assertFalse(accpVerifier(k).verify(input, tampered));
                    assertFalse(bcVerifier(k).verify(input, tampered));
                });
    }

    /** r or s = 0 or ≥ n is refused by both as a plain "does not verify", never an exception. */
    @Test
    void outOfRangeComponentsDoNotVerifyWithEither() {
        for (Keys k : KEYS) {
            int n = k.curve().orderBytes();
            byte[] input = new byte[32];
            byte[] good = BcEcdsa.signer(EcKeys.privateKey(k.priv())).sign(input);
            byte[] order = BigInts.encode(k.curve().domain().getN(), n);
            byte[] orderPlusOne = BigInts.encode(k.curve().domain().getN().add(BigInteger.ONE), n);
            for (byte[] bad : new byte[][] {concat(new byte[n], half(good, n, 1)), concat(half(good, n, 0), new byte[n]),
                concat(order, half(good, n, 1)), concat(half(good, n, 0), order), concat(orderPlusOne, half(good, n, 1)), new byte[2 * n]}) {
                assertFalse(accpVerifier(k).verify(input, bad), "ACCP on " + k.curve().names().get(0));
                assertFalse(bcVerifier(k).verify(input, bad), "BC on " + k.curve().names().get(0));
            }
        }
    }

    @Test
    void derConversionMatchesBouncyCastlesEncoding() throws Exception {
        qt().withExamples(300).forAll(integers().between(0, KEYS.size() - 1), integers().all()).checkAssert((which, seed) -> {
            Keys k = KEYS.get(which);
            BigInteger n = k.curve().domain().getN();
            Random rnd = new Random(seed);
            // Small values too, so short INTEGERs and leading-zero halves are covered.
            BigInteger r = new BigInteger(rnd.nextInt(n.bitLength()) + 1, rnd).mod(n);
            BigInteger s = new BigInteger(n.bitLength(), rnd).mod(n);
            byte[] rs = concat(BigInts.encode(r, k.curve().orderBytes()), BigInts.encode(s, k.curve().orderBytes()));
            try {
                byte[] bcDer = StandardDSAEncoding.INSTANCE.encode(n, r, s);
                assertArrayEquals(bcDer, EcdsaDer.fromRs(rs));
                assertArrayEquals(rs, EcdsaDer.toRs(bcDer, k.curve().orderBytes()));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static byte[] half(byte[] rs, int n, int which) {
        return java.util.Arrays.copyOfRange(rs, which * n, (which + 1) * n);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
