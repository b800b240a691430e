package io.jhsm.engine.mechanism.digest;

import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.DigestOperation;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Mechanism;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.Digest;
import org.junit.jupiter.api.Test;

class DigestFamilyTest {

    private static byte[] digest(long ckm, byte[]... parts) {
        DigestOperation op = impl(ckm).digest(Mechanism.of(ckm));
        for (byte[] p : parts) {
            op.update(p);
        }
        return op.digest();
    }

    /** FIPS 180-2 / 180-4 example "abc". */
    @Test
    void shaFamilyMatchesFipsAbcVectors() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(hex("a9993e364706816aba3e25717850c26c9cd0d89d"), digest(CKM.SHA_1, abc));
        assertArrayEquals(hex("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"), digest(CKM.SHA224, abc));
        assertArrayEquals(hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), digest(CKM.SHA256, abc));
        assertArrayEquals(hex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
                digest(CKM.SHA384, abc));
        assertArrayEquals(hex("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
                + "454d4423643ce80e2a9ac94fa54ca49f"), digest(CKM.SHA512, abc));
    }

    @Test
    void multiPartDigestEqualsSinglePartAndBouncyCastle() {
        qt().withExamples(60).forAll(integers().between(0, 300), integers().all(), integers().between(0, 300))
                .checkAssert((len, seed, split) -> {
                    byte[] data = bytes(len, seed);
                    int s = Math.min(split, len);
                    for (HashAlg h : HashAlg.STANDARD) {
                        byte[] whole = digest(h.ckm, data);
                        assertArrayEquals(whole, digest(h.ckm, Arrays.copyOfRange(data, 0, s), Arrays.copyOfRange(data, s, len)));
                        Digest bc = h.newBcDigest();
                        bc.update(data, 0, len);
                        byte[] expected = new byte[bc.getDigestSize()];
                        bc.doFinal(expected, 0);
                        assertArrayEquals(expected, whole, h.name());
                    }
                });
    }

    @Test
    void copyLeavesTheRunningDigestUntouched() throws Exception {
        DigestOperation op = impl(CKM.SHA256).digest(Mechanism.of(CKM.SHA256));
        op.update("ab".getBytes(StandardCharsets.US_ASCII));
        DigestOperation copy = op.copy();
        op.update("c".getBytes(StandardCharsets.US_ASCII));
        copy.update("c".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(copy.digest(), op.digest());
    }
}
