package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.jhsm.engine.profile.TokenProfile;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.Wrapper;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;
import org.bouncycastle.crypto.engines.RFC5649WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CloudHSM's vendor AES key wrap mechanisms on a cloudhsm-profile token ("AES key wrapping", SDK 5 mechanisms page):
 * _ZERO_PAD is RFC 5649, _NO_PAD RFC 3394, _PKCS5_PAD PKCS#5 padding to 8 bytes then RFC 3394, each checked
 * against Bouncy Castle's wrap engines; the implicit IV or (not for _ZERO_PAD) the default one only. On a pkcs11
 * token the standard mechanisms CloudHSM's migration page names as their counterparts give the same bytes.
 */
class CloudHsmAesKeyWrapTest {
    private static final byte[] KEK = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] TARGET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff0011223344556677");
    private static final byte[] DEFAULT_IV = HexFormat.of().parseHex("a6a6a6a6a6a6a6a6");

    @TempDir
    Path dir;
    private Engine engine;
    private long s;
    private long kek;
    private long target;

    private void open(TokenProfile profile) {
        EngineFixture f = EngineFixture.initialisedWithProfile(dir, profile);
        engine = f.engine;
        s = f.userSession();
        kek = aes(KEK, Attribute.of(CKA.WRAP, true), Attribute.of(CKA.UNWRAP, true));
        target = aes(TARGET, Attribute.of(CKA.EXTRACTABLE, true));
    }

    @AfterEach
    void finish() {
        if (engine != null) {
            engine.C_Finalize();
        }
    }

    private long aes(byte[] value, Attribute... extra) {
        List<Attribute> t = new java.util.ArrayList<>(List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE, value)));
        t.addAll(Arrays.asList(extra));
        return engine.C_CreateObject(s, t);
    }

    private byte[] wrap(Mechanism m) {
        byte[] out = new byte[engine.C_WrapKey(s, m, kek, target, null)];
        engine.C_WrapKey(s, m, kek, target, out);
        return out;
    }

    /** Unwraps as a readable key and returns its value. */
    private byte[] unwrap(Mechanism m, byte[] wrapped) {
        long key = engine.C_UnwrapKey(s, m, kek, wrapped, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true)));
        return engine.C_GetAttributeValue(s, key, new long[] {CKA.VALUE}).get(0).value();
    }

    private static byte[] bc(Wrapper engine, byte[] in) {
        engine.init(true, new KeyParameter(KEK));
        return engine.wrap(in, 0, in.length);
    }

    private static byte[] pkcs5(byte[] in) {
        byte[] padded = Arrays.copyOf(in, in.length + 8 - in.length % 8);
        Arrays.fill(padded, in.length, padded.length, (byte) (padded.length - in.length));
        return padded;
    }

    private static Mechanism with(long type, byte[] iv) {
        return Mechanism.of(type, new MechanismParams.Bytes(iv));
    }

    @Test
    void vendorWrapsAreTheRfcAlgorithmsWithCloudHsmsIvRules() {
        open(TokenProfile.CLOUDHSM);
        byte[] kwp = bc(new RFC5649WrapEngine(AESEngine.newInstance()), TARGET);
        byte[] kw = bc(new RFC3394WrapEngine(AESEngine.newInstance()), TARGET);
        byte[] kwPkcs5 = bc(new RFC3394WrapEngine(AESEngine.newInstance()), pkcs5(TARGET));
        Mechanism zeroPad = Mechanism.of(CKM.CLOUDHSM_AES_KEY_WRAP_ZERO_PAD);
        Mechanism noPad = Mechanism.of(CKM.CLOUDHSM_AES_KEY_WRAP_NO_PAD);
        Mechanism pkcs5Pad = Mechanism.of(CKM.CLOUDHSM_AES_KEY_WRAP_PKCS5_PAD);
        assertArrayEquals(kwp, wrap(zeroPad));
        assertArrayEquals(kw, wrap(noPad));
        assertArrayEquals(kw, wrap(with(CKM.CLOUDHSM_AES_KEY_WRAP_NO_PAD, DEFAULT_IV)), "the default IV given explicitly");
        assertArrayEquals(kwPkcs5, wrap(pkcs5Pad), "a 24-byte key gains 8 bytes of padding");
        assertArrayEquals(kwPkcs5, wrap(with(CKM.CLOUDHSM_AES_KEY_WRAP_PKCS5_PAD, DEFAULT_IV)));
        assertArrayEquals(TARGET, unwrap(zeroPad, kwp));
        assertArrayEquals(TARGET, unwrap(noPad, kw));
        assertArrayEquals(TARGET, unwrap(pkcs5Pad, kwPkcs5));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> wrap(with(CKM.CLOUDHSM_AES_KEY_WRAP_NO_PAD, new byte[8])));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> wrap(with(CKM.CLOUDHSM_AES_KEY_WRAP_PKCS5_PAD, new byte[8])));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> wrap(with(CKM.CLOUDHSM_AES_KEY_WRAP_ZERO_PAD, HexFormat.of().parseHex("a65959a6"))));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> unwrap(with(CKM.CLOUDHSM_AES_KEY_WRAP_NO_PAD, new byte[8]), kw));
    }

    @Test
    void vendorWrapsOnlyWrapTheyDoNotEncrypt() {
        open(TokenProfile.CLOUDHSM);
        assertRv(CKR.MECHANISM_INVALID, () -> engine.C_EncryptInit(s, Mechanism.of(CKM.CLOUDHSM_AES_KEY_WRAP_ZERO_PAD), kek));
    }

    @Test
    void onAPkcs11TokenTheStandardCounterpartsGiveTheSameBytes() {
        open(TokenProfile.PKCS11);
        assertArrayEquals(bc(new RFC5649WrapEngine(AESEngine.newInstance()), TARGET), wrap(Mechanism.of(CKM.AES_KEY_WRAP_KWP)));
        assertArrayEquals(bc(new RFC3394WrapEngine(AESEngine.newInstance()), TARGET), wrap(Mechanism.of(CKM.AES_KEY_WRAP)));
        assertArrayEquals(bc(new RFC3394WrapEngine(AESEngine.newInstance()), pkcs5(TARGET)), wrap(Mechanism.of(CKM.AES_KEY_WRAP_PKCS7)));
    }
}
