package io.jhsm.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

class Pbkdf2PinVerifierTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void matchesRfc7914TestVector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256("passwd", "salt", c=1), first 32 bytes.
        assertEquals("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc",
                HexFormat.of().formatHex(Pbkdf2PinVerifier.pbkdf2(ascii("passwd"), ascii("salt"), 1)));
    }

    @Test
    void agreesWithTheJceImplementation() throws Exception {
        byte[] salt = ascii("0123456789abcdef");
        byte[] jce = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("1234-user".toCharArray(), salt, 1000, 256)).getEncoded();
        assertArrayEquals(jce, Pbkdf2PinVerifier.pbkdf2(ascii("1234-user"), salt, 1000));
    }

    @Test
    void acceptsTheRightPinAndRejectsWrongOnes() {
        PinVerifier verifier = new Pbkdf2PinVerifier(1000);
        byte[] v = verifier.create(ascii("crypto-user:Passw0rd"));
        assertTrue(verifier.matches(v, ascii("crypto-user:Passw0rd")));
        assertFalse(verifier.matches(v, ascii("crypto-user:Passw0rD")));
        assertFalse(verifier.matches(v, ascii("crypto-user:Passw0rd ")));
        assertFalse(verifier.matches(v, new byte[0]));
        assertFalse(verifier.matches(Arrays.copyOf(v, v.length - 1), ascii("crypto-user:Passw0rd")));
        assertFalse(verifier.matches(null, ascii("x")));
    }

    @Test
    void handlesAnEmptyPinAsItsOwnValue() {
        PinVerifier verifier = new Pbkdf2PinVerifier(10);
        byte[] v = verifier.create(new byte[0]);
        assertTrue(verifier.matches(v, new byte[0]));
        assertFalse(verifier.matches(v, new byte[] {1}));
    }

    @Test
    void saltsEveryVerifierAndRecordsItsIterationCount() {
        byte[] a = new Pbkdf2PinVerifier(1000).create(ascii("1234"));
        byte[] b = new Pbkdf2PinVerifier(1000).create(ascii("1234"));
        assertNotEquals(HexFormat.of().formatHex(a), HexFormat.of().formatHex(b));
        // A verifier made with another iteration count still verifies: the count is in the format.
        assertTrue(new Pbkdf2PinVerifier(7).matches(a, ascii("1234")));
        assertEquals(1 + 4 + 1 + 16 + 32, a.length);
    }

    @Test
    void costIsInTheTargetRange() {
        PinVerifier verifier = new Pbkdf2PinVerifier();
        byte[] v = verifier.create(ascii("1234"));
        for (int i = 0; i < 5; i++) {
            verifier.matches(v, ascii("1234"));
        }
        int rounds = 20;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            assertTrue(verifier.matches(v, ascii("1234")));
        }
        double ms = (System.nanoTime() - start) / 1e6 / rounds;
        System.out.printf("Pbkdf2PinVerifier: %d iterations, %.1f ms per verification%n",
                Pbkdf2PinVerifier.DEFAULT_ITERATIONS, ms);
        // Loose bounds: the machine is shared, so only gross mistakes should fail here.
        assertTrue(ms > 2 && ms < 200, "verification took " + ms + " ms");
    }
}
