package io.jhsm.engine.mechanism.kdf;

import static io.jhsm.engine.mechanism.kdf.KdfFamiliesTest.derive;
import static io.jhsm.engine.mechanism.kdf.KdfFamiliesTest.value;
import static io.jhsm.engine.mechanism.kdf.Sp800108AndPbkdf2Test.counterFormat;
import static io.jhsm.engine.mechanism.kdf.Sp800108AndPbkdf2Test.dkmFormat;
import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.concat;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static io.jhsm.engine.mechanism.TestKeys.secret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.engine.mechanism.KeyLookup;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.DerivedKey;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.pkcs11.MechanismParams.PrfDataParam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.DerivationFunction;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.generators.KDFCounterBytesGenerator;
import org.bouncycastle.crypto.generators.KDFDoublePipelineIterationBytesGenerator;
import org.bouncycastle.crypto.generators.KDFFeedbackBytesGenerator;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KDFCounterParameters;
import org.bouncycastle.crypto.params.KDFDoublePipelineIterationParameters;
import org.bouncycastle.crypto.params.KDFFeedbackParameters;
import org.junit.jupiter.api.Test;

/**
 * The double-pipeline KDF, the DES3-CMAC PRF and additional derived keys at the mechanism level,
 * against NIST CAVP KBKDF vectors and Bouncy Castle's three SP 800-108 generators.
 */
class Sp800108ModesTest {
    static final long ITERATION = 1;
    static final long COUNTER = 2;
    static final long DKM = 3;
    static final long BYTES = 4;

    static PrfDataParam iteration() {
        return new PrfDataParam(ITERATION, null);
    }

    static PrfDataParam counter(int bits) {
        return new PrfDataParam(COUNTER, counterFormat(false, bits));
    }

    static PrfDataParam data(byte[] value) {
        return new PrfDataParam(BYTES, value);
    }

    static MechanismParams.Sp800108Kdf kdf(long prf, PrfDataParam... params) {
        return new MechanismParams.Sp800108Kdf(prf, List.of(params), null);
    }

    private static byte[] bc(DerivationFunction g, int len) {
        byte[] out = new byte[len];
        g.generateBytes(out, 0, len);
        return out;
    }

    private static byte[] doublePipeline(Mac mac, byte[] key, byte[] fixed, boolean withCounter, int len) {
        KDFDoublePipelineIterationBytesGenerator g = new KDFDoublePipelineIterationBytesGenerator(mac);
        g.init(withCounter ? KDFDoublePipelineIterationParameters.createWithCounter(key, fixed, 32)
                : KDFDoublePipelineIterationParameters.createWithoutCounter(key, fixed));
        return bc(g, len);
    }

    @Test
    void counterModeMatchesTheNistCavpVector() {
        // KDFCTR_gen.rsp [PRF=HMAC_SHA256] [CTRLOCATION=BEFORE_FIXED] [RLEN=32_BITS] COUNT=0, L=128.
        byte[] ki = hex("dd1d91b7d90b2bd3138533ce92b272fbf8a369316aefe242e659cc0ae238afe0");
        byte[] fixed = hex("01322b96b30acd197979444e468e1c5c6859bf1b1cf951b7e725303e237e46b864a145fab25e517b08f8683d0315bb2911d80a0e8aba17f3b413faac");
        MechanismParams.Sp800108Kdf p = kdf(CKM.SHA256_HMAC, new PrfDataParam(ITERATION, counterFormat(false, 32)), data(fixed));
        assertArrayEquals(hex("10621342bfb0fd40046c0e29f2cfdbf0"), derive(CKM.SP800_108_COUNTER_KDF, p, secret(CKK.GENERIC_SECRET, ki), 16));
    }

    @Test
    void doublePipelineMatchesTheNistCavpVector() {
        // KDFDblPipeline_gen.rsp (PipelineModewithCounter) [PRF=HMAC_SHA256] [CTRLOCATION=AFTER_ITER] [RLEN=32_BITS].
        byte[] ki = hex("3d361a9f28aad722f68ebdc298439da1");
        byte[] fixed = hex("405344b2a4b83164b06ebac5421bf10183dc4e0f8c2e58728472ddd5ccb10bdf");
        MechanismParams.Sp800108Kdf p = kdf(CKM.SHA256_HMAC, iteration(), counter(32), data(fixed));
        assertArrayEquals(hex("3422683b2d4bed1a05"), derive(CKM.SP800_108_DOUBLE_PIPELINE_KDF, p, secret(CKK.GENERIC_SECRET, ki), 9));
    }

    @Test
    void doublePipelineMatchesBouncyCastleWithAndWithoutCounterForHmacAndCmac() {
        byte[] key = bytes(32, 7);
        byte[] label = bytes(17, 8);
        for (long prf : new long[] {CKM.SHA384_HMAC, CKM.AES_CMAC}) {
            KeyView base = secret(prf == CKM.AES_CMAC ? CKK.AES : CKK.GENERIC_SECRET, key);
            Mac mac = prf == CKM.AES_CMAC ? new CMac(AESEngine.newInstance()) : new HMac(new SHA384Digest());
            assertArrayEquals(doublePipeline(mac, key, label, true, 100),
                    derive(CKM.SP800_108_DOUBLE_PIPELINE_KDF, kdf(prf, iteration(), counter(32), data(label)), base, 100), CKM.name(prf));
            assertArrayEquals(doublePipeline(mac, key, label, false, 100),
                    derive(CKM.SP800_108_DOUBLE_PIPELINE_KDF, kdf(prf, iteration(), data(label)), base, 100), CKM.name(prf));
        }
    }

    @Test
    void doublePipelineSeedsTheFirstPipelineWithEverythingButTheIterationVariableAndCounter() {
        // A(0) = label || [L]: the DKM length is part of the fixed input, the counter is not.
        byte[] key = bytes(32, 9);
        byte[] label = bytes(12, 10);
        byte[] fixed = concat(label, new byte[] {0, 0, 2, (byte) 0x80}); // 80 bytes = 640 bits, 32-bit big-endian
        byte[] expected = doublePipeline(new HMac(new SHA256Digest()), key, fixed, true, 80);
        MechanismParams.Sp800108Kdf p = kdf(CKM.SHA256_HMAC, iteration(), counter(32), data(label),
                new PrfDataParam(DKM, dkmFormat(1, false, 32)));
        assertArrayEquals(expected, derive(CKM.SP800_108_DOUBLE_PIPELINE_KDF, p, secret(CKK.GENERIC_SECRET, key), 80));
    }

    @Test
    void des3CmacIsAPrfForEveryMode() {
        byte[] key = bytes(24, 11);
        byte[] fixed = bytes(20, 12);
        KeyView base = secret(CKK.DES3, key);
        KDFCounterBytesGenerator g = new KDFCounterBytesGenerator(new CMac(new DESedeEngine()));
        g.init(new KDFCounterParameters(key, fixed, 16));
        assertArrayEquals(bc(g, 30), derive(CKM.SP800_108_COUNTER_KDF,
                kdf(CKM.DES3_CMAC, new PrfDataParam(ITERATION, counterFormat(false, 16)), data(fixed)), base, 30));
        assertArrayEquals(doublePipeline(new CMac(new DESedeEngine()), key, fixed, false, 30),
                derive(CKM.SP800_108_DOUBLE_PIPELINE_KDF, kdf(CKM.DES3_CMAC, iteration(), data(fixed)), base, 30));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> derive(CKM.SP800_108_COUNTER_KDF,
                kdf(CKM.DES3_CMAC, new PrfDataParam(ITERATION, counterFormat(false, 16))), secret(CKK.AES, bytes(24, 1)), 16));
    }

    /** The material of a main key of {@code first} bytes and additional keys of the given lengths. */
    static List<byte[]> deriveKeys(long ckm, MechanismParams.Sp800108Kdf p, KeyView base, long first, long... more) {
        List<DerivedKey> extra = new ArrayList<>();
        List<TemplateView> views = new ArrayList<>();
        for (long len : more) {
            List<Attribute> t = List.of(Attribute.of(CKA.VALUE_LEN, len));
            extra.add(new DerivedKey(t, h -> {}));
            views.add(new TemplateView(t));
        }
        MechanismParams.Sp800108Kdf withKeys = new MechanismParams.Sp800108Kdf(p.prfType(), p.dataParams(), p.iv(), extra);
        List<List<Attribute>> keys = impl(ckm).deriveKeys(Mechanism.of(ckm, withKeys), base,
                new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, first))), views, KeyLookup.NONE);
        return keys.stream().map(KdfFamiliesTest::value).toList();
    }

    @Test
    void additionalKeysStartOnFreshSegmentsAndTheDkmLengthCountsKeysOrSegments() {
        // §2.42.7's example: a 48-byte and a 16-byte key over HMAC-SHA256 use three segments;
        // the DKM length is 512 bits summing keys and 768 summing segments.
        byte[] key = bytes(32, 13);
        byte[] label = bytes(10, 14);
        KeyView base = secret(CKK.GENERIC_SECRET, key);
        for (long method : new long[] {1, 2}) {
            byte[] l = method == 1 ? new byte[] {0x02, 0x00} : new byte[] {0x03, 0x00};
            PrfDataParam dkm = new PrfDataParam(DKM, dkmFormat(method, false, 16));
            byte[] fixed = concat(label, l);

            KDFCounterBytesGenerator c = new KDFCounterBytesGenerator(new HMac(new SHA256Digest()));
            c.init(new KDFCounterParameters(key, fixed, 32));
            assertSlices(bc(c, 96), deriveKeys(CKM.SP800_108_COUNTER_KDF,
                    kdf(CKM.SHA256_HMAC, new PrfDataParam(ITERATION, counterFormat(false, 32)), data(label), dkm), base, 48, 16));

            byte[] iv = bytes(32, 15);
            KDFFeedbackBytesGenerator fb = new KDFFeedbackBytesGenerator(new HMac(new SHA256Digest()));
            fb.init(KDFFeedbackParameters.createWithCounter(key, iv, fixed, 32));
            MechanismParams.Sp800108Kdf feedback = new MechanismParams.Sp800108Kdf(CKM.SHA256_HMAC,
                    List.of(iteration(), counter(32), data(label), dkm), iv);
            assertSlices(bc(fb, 96), deriveKeys(CKM.SP800_108_FEEDBACK_KDF, feedback, base, 48, 16));

            assertSlices(doublePipeline(new HMac(new SHA256Digest()), key, fixed, true, 96), deriveKeys(
                    CKM.SP800_108_DOUBLE_PIPELINE_KDF, kdf(CKM.SHA256_HMAC, iteration(), counter(32), data(label), dkm), base, 48, 16));
        }
    }

    /** Key 1 is bytes 0..48 of the stream, key 2 bytes 64..80 (the start of the third 32-byte segment). */
    private static void assertSlices(byte[] stream, List<byte[]> keys) {
        assertEquals(2, keys.size());
        assertArrayEquals(Arrays.copyOfRange(stream, 0, 48), keys.get(0));
        assertArrayEquals(Arrays.copyOfRange(stream, 64, 80), keys.get(1));
    }

    @Test
    void manyAdditionalKeysMatchOneLongDerivationCutOnSegments() {
        byte[] key = bytes(32, 16);
        KeyView base = secret(CKK.GENERIC_SECRET, key);
        MechanismParams.Sp800108Kdf p = kdf(CKM.SHA_1_HMAC, new PrfDataParam(ITERATION, counterFormat(true, 24)), data(bytes(5, 17)));
        byte[] stream = derive(CKM.SP800_108_COUNTER_KDF, p, base, 20 * 7);
        List<byte[]> keys = deriveKeys(CKM.SP800_108_COUNTER_KDF, p, base, 20, 21, 1, 40);
        assertArrayEquals(Arrays.copyOfRange(stream, 0, 20), keys.get(0));
        assertArrayEquals(Arrays.copyOfRange(stream, 20, 41), keys.get(1));
        assertArrayEquals(Arrays.copyOfRange(stream, 60, 61), keys.get(2));
        assertArrayEquals(Arrays.copyOfRange(stream, 80, 120), keys.get(3));
    }

    @Test
    void aBadAdditionalTemplateIsNamedByItsPosition() {
        KeyView base = secret(CKK.GENERIC_SECRET, bytes(32, 1));
        MechanismParams.Sp800108Kdf p = kdf(CKM.SHA256_HMAC, new PrfDataParam(ITERATION, counterFormat(false, 32)));
        List<TemplateView> more = List.of(new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 16L))), new TemplateView(List.of()));
        MechanismParams.Sp800108Kdf withKeys = new MechanismParams.Sp800108Kdf(p.prfType(), p.dataParams(), null,
                List.of(new DerivedKey(List.of(), h -> {}), new DerivedKey(List.of(), h -> {})));
        DerivedKeyTemplateException e = assertThrows(DerivedKeyTemplateException.class, () -> impl(CKM.SP800_108_COUNTER_KDF)
                .deriveKeys(Mechanism.of(CKM.SP800_108_COUNTER_KDF, withKeys), base,
                        new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 16L))), more, KeyLookup.NONE));
        assertEquals(2, e.index());
        assertEquals(CKR.TEMPLATE_INCOMPLETE, e.rv(), "a generic secret needs CKA_VALUE_LEN");
    }

    @Test
    void eachModeRefusesTheLayoutsPkcs11ForbidsIt() {
        KeyView base = secret(CKK.GENERIC_SECRET, bytes(32, 1));
        PrfDataParam counted = new PrfDataParam(ITERATION, counterFormat(false, 32));
        PrfDataParam dkm = new PrfDataParam(DKM, dkmFormat(2, true, 32));
        long c = CKM.SP800_108_COUNTER_KDF;
        long dp = CKM.SP800_108_DOUBLE_PIPELINE_KDF;
        assertEquals(32, derive(c, kdf(CKM.SHA256_HMAC, counted, data(new byte[] {1}), dkm), base, 32).length);
        assertEquals(32, derive(dp, kdf(CKM.SHA256_HMAC, iteration(), counter(8), dkm), base, 32).length);
        assertInvalid(c, base, counted, counter(32));
        assertInvalid(c, base, iteration());
        assertInvalid(dp, base, counted);
        assertInvalid(dp, base, counter(32));
        assertInvalid(dp, base, iteration(), iteration());
        assertInvalid(dp, base, iteration(), counter(32), counter(16));
        assertInvalid(dp, base, iteration(), dkm, dkm);
        assertInvalid(dp, base, iteration(), data(new byte[0]));
        assertInvalid(dp, base, iteration(), new PrfDataParam(5, new byte[8]));
        assertInvalid(dp, base, iteration(), new PrfDataParam(DKM, dkmFormat(3, false, 32)));
        assertInvalid(dp, base, iteration(), new PrfDataParam(DKM, dkmFormat(1, false, 72)));
        assertInvalid(dp, base, iteration(), counter(40));
        assertInvalid(dp, base, iteration(), new PrfDataParam(COUNTER, new byte[8]));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(dp,
                new MechanismParams.Sp800108Kdf(CKM.SHA256_HMAC, List.of(iteration()), new byte[4]), base, 32));
        // An 8-bit counter reaches 255 SHA-1 segments: six 800-byte keys (40 segments each) and 300 bytes more, not 320.
        MechanismParams.Sp800108Kdf narrow = kdf(CKM.SHA_1_HMAC, iteration(), counter(8));
        assertEquals(300, deriveKeys(dp, narrow, base, 800, 800, 800, 800, 800, 800, 300).get(6).length);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> deriveKeys(dp, narrow, base, 800, 800, 800, 800, 800, 800, 320));
    }

    private static void assertInvalid(long ckm, KeyView base, PrfDataParam... params) {
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(ckm, kdf(CKM.SHA256_HMAC, params), base, 32));
    }
}
