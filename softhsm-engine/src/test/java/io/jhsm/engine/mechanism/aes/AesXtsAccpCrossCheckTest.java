package io.jhsm.engine.mechanism.aes;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.Accp;
import io.jhsm.pkcs11.CKR;
import java.security.Provider;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AES-256-XTS on ACCP against today's portable XTS (itself checked against IEEE 1619 and OpenSSL), always on ACCP. */
class AesXtsAccpCrossCheckTest {
    private static Provider accp;

    @BeforeAll
    static void loadAccp() {
        accp = Accp.provider();
    }

    @Test
    void xtsOnAccpEqualsThePortableXtsWithCiphertextStealing() {
        qt().withExamples(40).forAll(integers().between(16, 1100), integers().between(0, 1000)).checkAssert((len, seed) -> {
            byte[] key = bytes(64, seed);
            byte[] tweak = bytes(16, seed + 1L);
            byte[] data = bytes(len, seed + 2L);
            int split = seed % (len + 1);
            byte[] ct = run(new AesXtsCipher(accp, key, tweak, true), data, split);
            assertArrayEquals(run(new AesXtsCipher(null, key, tweak, true), data), ct);
            assertArrayEquals(data, run(new AesXtsCipher(accp, key, tweak, false), ct, len - split));
        });
    }

    /** IEEE 1619 caps a data unit at 2^20 blocks; PKCS#11 does not, and neither does the portable code. */
    @Test
    void xtsOnAccpTakesDataUnitsOfAnySize() {
        byte[] key = bytes(64, 1);
        byte[] tweak = bytes(16, 2);
        byte[] data = bytes((16 << 20) + 33, 3);
        byte[] ct = run(new AesXtsCipher(accp, key, tweak, true), data);
        assertArrayEquals(run(new AesXtsCipher(null, key, tweak, true), data), ct);
        assertArrayEquals(data, run(new AesXtsCipher(accp, key, tweak, false), ct));
    }

    /** AWS-LC refuses equal key halves and has no AES-128-XTS: the portable code takes those keys, as before. */
    @Test
    void keysAccpRefusesRunOnThePortableCode() {
        byte[] half = bytes(32, 4);
        byte[] equalHalves = Arrays.copyOf(half, 64);
        System.arraycopy(half, 0, equalHalves, 32, 32);
        byte[] data = bytes(40, 5);
        byte[] tweak = bytes(16, 6);
        assertArrayEquals(run(new AesXtsCipher(null, equalHalves, tweak, true), data), run(new AesXtsCipher(accp, equalHalves, tweak, true), data));
        byte[] aes128 = bytes(32, 7);
        assertArrayEquals(run(new AesXtsCipher(null, aes128, tweak, true), data), run(new AesXtsCipher(accp, aes128, tweak, true), data));
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, () -> run(new AesXtsCipher(accp, bytes(64, 8), tweak, false), new byte[15]));
    }
}
