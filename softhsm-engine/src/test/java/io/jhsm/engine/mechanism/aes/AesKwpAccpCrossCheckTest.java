package io.jhsm.engine.mechanism.aes;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.Accp;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.Provider;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CKM_AES_KEY_WRAP_KWP (RFC 5649) on ACCP against Bouncy Castle's RFC 5649 engine, always on ACCP. */
class AesKwpAccpCrossCheckTest {
    private static final Mechanism KWP = Mechanism.of(CKM.AES_KEY_WRAP_KWP);
    private static Provider accp;

    @BeforeAll
    static void loadAccp() {
        accp = Accp.provider();
    }

    @Test
    void kwpOnAccpEqualsBouncyCastleAndUnwrapsIt() {
        qt().withExamples(40).forAll(integers().between(0, 2), integers().between(1, 200), integers().between(0, 1000)).checkAssert((k, len, seed) -> {
            SecretKeySpec key = new SecretKeySpec(bytes(16 + 8 * k, seed), "AES");
            byte[] target = bytes(len, seed + 1L);
            byte[] wrapped = run(new AesKeyWrapCipher(accp, AesKeyWrapCipher.Variant.KWP, KWP, key, true), target);
            assertArrayEquals(run(new AesKeyWrapCipher(null, AesKeyWrapCipher.Variant.KWP, KWP, key, true), target), wrapped);
            assertArrayEquals(target, run(new AesKeyWrapCipher(accp, AesKeyWrapCipher.Variant.KWP, KWP, key, false), wrapped));
            wrapped[seed % wrapped.length] ^= 1;
            assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> run(new AesKeyWrapCipher(accp, AesKeyWrapCipher.Variant.KWP, KWP, key, false), wrapped));
        });
    }

    /** ACCP ignores a caller's alternative initial value, so KWP with one runs on BC and still honours it. */
    @Test
    void kwpWithAnAlternativeInitialValueKeepsIt() {
        SecretKeySpec key = new SecretKeySpec(bytes(32, 1), "AES");
        Mechanism withIv = Mechanism.of(CKM.AES_KEY_WRAP_KWP, new MechanismParams.Bytes(new byte[] {1, 2, 3, 4}));
        byte[] target = bytes(20, 2);
        byte[] wrapped = run(new AesKeyWrapCipher(accp, AesKeyWrapCipher.Variant.KWP, withIv, key, true), target);
        assertArrayEquals(run(new AesKeyWrapCipher(null, AesKeyWrapCipher.Variant.KWP, withIv, key, true), target), wrapped);
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> run(new AesKeyWrapCipher(accp, AesKeyWrapCipher.Variant.KWP, KWP, key, false), wrapped));
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, () -> run(new AesKeyWrapCipher(accp, AesKeyWrapCipher.Variant.KWP, KWP, key, false), new byte[8]));
    }
}
