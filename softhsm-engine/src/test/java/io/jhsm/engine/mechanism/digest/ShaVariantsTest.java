package io.jhsm.engine.mechanism.digest;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static io.jhsm.engine.mechanism.TestKeys.secret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.mechanism.DigestOperation;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.pkcs11.Ulong;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** SHA-3 and SHA-512/t digests and HMACs (SUN/SunJCE) against FIPS 180-4/202 example values and BC. */
class ShaVariantsTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    private static byte[] digest(long ckm, byte[] data) {
        DigestOperation op = impl(ckm).digest(Mechanism.of(ckm));
        op.update(data);
        return op.digest();
    }

    @Test
    void digestsMatchPublishedValues() {
        assertArrayEquals(hex("e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf"), digest(CKM.SHA3_224, ABC));
        assertArrayEquals(hex("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"), digest(CKM.SHA3_256, ABC));
        assertArrayEquals(hex("ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25"),
                digest(CKM.SHA3_384, ABC));
        assertArrayEquals(hex("b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0"),
                digest(CKM.SHA3_512, ABC));
        assertArrayEquals(hex("4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa"), digest(CKM.SHA512_224, ABC));
        assertArrayEquals(hex("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"), digest(CKM.SHA512_256, ABC));
    }

    @Test
    void everyHmacAgreesWithBouncyCastle() {
        byte[] key = bytes(150, 1);
        byte[] data = bytes(333, 2);
        for (HashAlg h : HashAlg.STANDARD) {
            SignOperation op = impl(h.hmac).sign(Mechanism.of(h.hmac), secret(h.hmacKeyType, key));
            op.update(data);
            HMac bc = new HMac(h.newBcDigest());
            bc.init(new KeyParameter(key));
            bc.update(data, 0, data.length);
            byte[] expected = new byte[bc.getMacSize()];
            bc.doFinal(expected, 0);
            assertArrayEquals(expected, op.sign(), h.name());

            SignOperation general = impl(h.hmacGeneral).sign(Mechanism.of(h.hmacGeneral, new MechanismParams.UlongValue(10)), secret(CKK.GENERIC_SECRET, key));
            general.update(data);
            assertArrayEquals(java.util.Arrays.copyOf(expected, 10), general.sign(), h.name());
        }
    }

    @Test
    void hmacRefusesAnotherHashsKeyType() {
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> impl(CKM.SHA3_256_HMAC).sign(Mechanism.of(CKM.SHA3_256_HMAC), secret(CKK.SHA256_HMAC, bytes(32, 1))));
        assertRv(CKR.MECHANISM_PARAM_INVALID,
                () -> impl(CKM.SHA512_256_HMAC_GENERAL).sign(Mechanism.of(CKM.SHA512_256_HMAC_GENERAL, new MechanismParams.UlongValue(33)), secret(CKK.GENERIC_SECRET, bytes(32, 1))));
    }

    @Test
    void sha3KeyGensMakeTheirOwnKeyType() {
        List<Attribute> attrs = impl(CKM.SHA3_384_KEY_GEN).generateKey(Mechanism.of(CKM.SHA3_384_KEY_GEN), new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 48L))));
        assertEquals(CKK.SHA3_384_HMAC, Ulong.decode(attrs.get(0).value()));
        assertEquals(48, attrs.get(1).value().length);
        assertEquals(CKF.GENERATE, TestKeys.REGISTRY.get(CKM.SHA3_224_KEY_GEN).info().flags());
        assertEquals(CKF.DIGEST, TestKeys.REGISTRY.get(CKM.SHA512_224).info().flags());
    }
}
