package io.jhsm.engine.mechanism.ec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.Accp;
import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import java.security.Provider;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/** ECDH and EC key generation on AWS-LC (ACCP) against Bouncy Castle, on random keys on every curve. */
class EcdhAndKeyGenEnginesTest {
    private static final Provider ACCP = Accp.provider();

    private static TestKeys.MapKeyView privateKeyObject(EcCurves.Curve curve, EcKeyPairs.Generated kp) {
        return TestKeys.key(CKO.PRIVATE_KEY, CKK.EC, List.of(Attribute.of(CKA.EC_PARAMS, curve.encodedOid()),
                Attribute.of(CKA.VALUE, BigInts.encode(kp.d()))));
    }

    /** Z from AWS-LC equals BC's, plain and cofactor (h = 1 on every supported curve), leading zeros kept. */
    @Test
    void accpSharedSecretEqualsBouncyCastles() {
        qt().withExamples(60).forAll(integers().between(0, EcCurves.ALL.size() - 1)).checkAssert(which -> {
            EcCurves.Curve curve = EcCurves.ALL.get(which);
            assertEquals(1, curve.domain().getH().intValue(), "ACCP's ECDH stands for the cofactor variant only where h = 1");
            EcKeyPairs.Generated ours = EcKeyPairs.portable(curve);
            ECPoint peer = EcKeyPairs.portable(curve).q();
            TestKeys.MapKeyView key = privateKeyObject(curve, ours);
            EcKeys.Private k = EcKeys.privateKey(key);
            byte[] accp = EcdhAgreement.accp(ACCP, key, k, peer);
            assertArrayEquals(EcdhAgreement.portable(k, peer, false), accp, curve.names().get(0));
            assertArrayEquals(EcdhAgreement.portable(k, peer, true), accp, curve.names().get(0) + " cofactor");
            assertEquals((curve.domain().getCurve().getFieldSize() + 7) / 8, accp.length);
        });
    }

    /** A key pair from AWS-LC is consistent by BC's arithmetic: d in [1, n-1], Q = d·G on the curve. */
    @Test
    void accpKeyPairsAreConsistentByBouncyCastlesArithmetic() {
        for (EcCurves.Curve curve : EcCurves.ALL) {
            for (int i = 0; i < 5; i++) {
                EcKeyPairs.Generated kp = EcKeyPairs.accp(ACCP, curve);
                assertTrue(kp.d().signum() > 0 && kp.d().compareTo(curve.domain().getN()) < 0, curve.names().get(0));
                assertTrue(kp.q().isValid(), curve.names().get(0));
                assertEquals(curve.domain().getG().multiply(kp.d()).normalize(), kp.q().normalize(), curve.names().get(0));
            }
        }
    }
}
