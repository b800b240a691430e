package io.jhsm.engine.mechanism.edwards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.Accp;
import io.jhsm.engine.mechanism.TestKeys;
import java.security.Provider;
import java.util.Random;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

/** Ed25519 is deterministic (RFC 8032): AWS-LC's signatures through ACCP equal Bouncy Castle's byte for byte. */
class AccpEd25519Test {
    private static final Provider ACCP = Accp.provider();

    @Test
    void accpSignaturesEqualBouncyCastlesOnRandomKeysAndMessages() {
        qt().withExamples(150).forAll(integers().all(), integers().between(0, 300)).checkAssert((seed, length) -> {
            Random rnd = new Random(seed);
            byte[] secret = new byte[32];
            rnd.nextBytes(secret);
            byte[] message = new byte[length];
            rnd.nextBytes(message);
            Ed25519PrivateKeyParameters bc = new Ed25519PrivateKeyParameters(secret);
            byte[] expected = new byte[64];
            bc.sign(org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519, null, message, 0, message.length, expected, 0);
            byte[] accp = AccpEd25519.signer(ACCP, AccpEd25519.jdkKey(new TestKeys.MapKeyView(), bc)).apply(message);
            assertArrayEquals(expected, accp);
        });
    }
}
