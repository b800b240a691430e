package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.config.Config;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.pkcs11.Ulong;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.DefaultBufferedBlockCipher;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code legacy-algorithms = true}: single DES, MD5, RSA from 1024 bits and DES3 ECB/CBC wrapping, each
 * checked against Bouncy Castle or the JDK; without the setting every one answers as before.
 */
class LegacyAlgorithmsTest {
    private static final long[] LEGACY = {CKM.DES_KEY_GEN, CKM.DES_ECB, CKM.DES_CBC, CKM.DES_CBC_PAD,
        CKM.MD5, CKM.MD5_HMAC, CKM.MD5_HMAC_GENERAL, CKM.MD5_RSA_PKCS};
    /** A DES key with odd parity in every byte (the FIPS 46 test key). */
    private static final byte[] DES_KEY = hex("0123456789abcdef");
    private static final byte[] IV = hex("1234567890abcdef");

    @TempDir
    Path dir;

    private EngineFixture fixture(boolean legacy) {
        return new EngineFixture(new Config(dir, 1, legacy)).initialised();
    }

    @Test
    void legacyMechanismsAreListedWithTrueSizesOnlyWhenConfigured() {
        EngineFixture on = fixture(true);
        long[] list = on.engine.C_GetMechanismList(0);
        for (long type : LEGACY) {
            assertTrue(LongStream.of(list).anyMatch(t -> t == type), CKM.name(type));
        }
        assertEquals(new CkMechanismInfo(8, 8, CKF.ENCRYPT | CKF.DECRYPT), on.engine.C_GetMechanismInfo(0, CKM.DES_CBC));
        assertEquals(new CkMechanismInfo(8, 8, CKF.GENERATE), on.engine.C_GetMechanismInfo(0, CKM.DES_KEY_GEN));
        assertEquals(new CkMechanismInfo(1024, 8192, CKF.GENERATE_KEY_PAIR), on.engine.C_GetMechanismInfo(0, CKM.RSA_PKCS_KEY_PAIR_GEN));
        assertEquals(new CkMechanismInfo(1024, 8192, CKF.SIGN | CKF.VERIFY), on.engine.C_GetMechanismInfo(0, CKM.MD5_RSA_PKCS));
        assertEquals(new CkMechanismInfo(24, 24, CKF.ENCRYPT | CKF.DECRYPT | CKF.WRAP | CKF.UNWRAP), on.engine.C_GetMechanismInfo(0, CKM.DES3_ECB));
        on.engine.C_Finalize();
    }

    @Test
    void withoutTheSettingLegacyAlgorithmsAnswerAsBefore() {
        EngineFixture off = fixture(false);
        long[] list = off.engine.C_GetMechanismList(0);
        for (long type : LEGACY) {
            assertFalse(LongStream.of(list).anyMatch(t -> t == type), CKM.name(type));
            assertRv(CKR.MECHANISM_INVALID, () -> off.engine.C_GetMechanismInfo(0, type));
        }
        assertEquals(new CkMechanismInfo(2048, 8192, CKF.GENERATE_KEY_PAIR), off.engine.C_GetMechanismInfo(0, CKM.RSA_PKCS_KEY_PAIR_GEN));
        assertEquals(new CkMechanismInfo(24, 24, CKF.ENCRYPT | CKF.DECRYPT), off.engine.C_GetMechanismInfo(0, CKM.DES3_ECB));
        long s = off.userSession();
        assertRv(CKR.MECHANISM_INVALID, () -> off.engine.C_DigestInit(s, Mechanism.of(CKM.MD5)));
        assertRv(CKR.KEY_SIZE_RANGE, () -> rsaPair(off, s, 1024));
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> desKey(off, s, DES_KEY));
        long des3 = des3Wrapper(off, s);
        long aes = off.aesKey(s, Attribute.of(CKA.EXTRACTABLE, true));
        assertRv(CKR.MECHANISM_INVALID, () -> off.engine.C_WrapKey(s, Mechanism.of(CKM.DES3_ECB), des3, aes, null));
        off.engine.C_Finalize();
    }

    /** A key derived as CKK_DES: refused as an unknown key type without the setting, made with DES parity with it. */
    @Test
    void derivedDesKeysExistOnlyWithTheSettingAndCarryParity() {
        for (boolean legacy : new boolean[] {false, true}) {
            EngineFixture f = new EngineFixture(new Config(dir.resolve("derive-" + legacy), 1, legacy)).initialised();
            long s = f.userSession();
            long base = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                    Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.VALUE, new byte[16]), Attribute.of(CKA.DERIVE, true),
                    Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true)));
            Mechanism xor = Mechanism.of(CKM.XOR_BASE_AND_DATA, new MechanismParams.DerivationString(new byte[8]));
            List<Attribute> des = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.DES),
                    Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
            if (!legacy) {
                assertRv(CKR.TEMPLATE_INCONSISTENT, () -> f.engine.C_DeriveKey(s, xor, base, des));
            } else {
                long key = f.engine.C_DeriveKey(s, xor, base, des);
                assertArrayEquals(hex("0101010101010101"), f.engine.C_GetAttributeValue(s, key, new long[] {CKA.VALUE}).get(0).value(),
                        "zero bytes get their parity bit");
            }
            f.engine.C_Finalize();
        }
    }

    @Test
    void desKeyGenerationSetsParityAndTheCheckValueIsDesOfZeros() throws Exception {
        EngineFixture f = fixture(true);
        long s = f.userSession();
        long key = f.engine.C_GenerateKey(s, Mechanism.of(CKM.DES_KEY_GEN), List.of(
                Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.ENCRYPT, true)));
        byte[] value = f.engine.C_GetAttributeValue(s, key, new long[] {CKA.VALUE}).get(0).value();
        assertEquals(8, value.length);
        for (byte b : value) {
            assertEquals(1, Integer.bitCount(b & 0xFF) % 2, "odd parity in every byte");
        }
        assertEquals(CKK.DES, Ulong.decode(f.engine.C_GetAttributeValue(s, key, new long[] {CKA.KEY_TYPE}).get(0).value()));
        byte[] kcv = Arrays.copyOf(bc(new DESEngine(), value, null, false, true, new byte[8]), 3);
        assertArrayEquals(kcv, f.engine.C_GetAttributeValue(s, key, new long[] {CKA.CHECK_VALUE}).get(0).value());
        f.engine.C_Finalize();
    }

    @Test
    void desWithWrongParityIsRefused() {
        EngineFixture f = fixture(true);
        long s = f.userSession();
        byte[] even = DES_KEY.clone();
        even[3] ^= 1;
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> desKey(f, s, even));
        f.engine.C_Finalize();
    }

    @Test
    void desEcbCbcAndCbcPadMatchBouncyCastleAndTheJdk() throws Exception {
        EngineFixture f = fixture(true);
        long s = f.userSession();
        long key = desKey(f, s, DES_KEY);
        byte[] block = "Now is the time for all ".getBytes();
        assertArrayEquals(bc(new DESEngine(), DES_KEY, null, false, true, block), encrypt(f, s, Mechanism.of(CKM.DES_ECB), key, block));
        // FIPS 81 / the classic DES test: "Now is the time for all " under 0123456789abcdef in ECB.
        assertArrayEquals(hex("3fa40e8a984d48156a271787ab8883f9893d51ec4b563b53"), encrypt(f, s, Mechanism.of(CKM.DES_ECB), key, block));
        Mechanism cbc = Mechanism.of(CKM.DES_CBC, new MechanismParams.Bytes(IV));
        assertArrayEquals(bc(new DESEngine(), DES_KEY, IV, false, true, block), encrypt(f, s, cbc, key, block));
        byte[] odd = "seventeen bytes!!".getBytes();
        Mechanism pad = Mechanism.of(CKM.DES_CBC_PAD, new MechanismParams.Bytes(IV));
        byte[] ct = encrypt(f, s, pad, key, odd);
        assertArrayEquals(bc(new DESEngine(), DES_KEY, IV, true, true, odd), ct);
        Cipher jdk = Cipher.getInstance("DES/CBC/PKCS5Padding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(DES_KEY, "DES"), new IvParameterSpec(IV));
        assertArrayEquals(odd, jdk.doFinal(ct));
        assertArrayEquals(odd, decrypt(f, s, pad, key, ct));
        f.engine.C_Finalize();
    }

    @Test
    void md5DigestAndHmacMatchBouncyCastleAndTheJdk() throws Exception {
        EngineFixture f = fixture(true);
        long s = f.userSession();
        byte[] data = "The quick brown fox jumps over the lazy dog".getBytes();
        f.engine.C_DigestInit(s, Mechanism.of(CKM.MD5));
        byte[] digest = new byte[16];
        assertEquals(16, f.engine.C_Digest(s, data, digest));
        MD5Digest bc = new MD5Digest();
        bc.update(data, 0, data.length);
        byte[] expected = new byte[16];
        bc.doFinal(expected, 0);
        assertArrayEquals(expected, digest);
        assertArrayEquals(hex("9e107d9d372bb6826bd81d3542a419d6"), digest);

        byte[] secret = "key".getBytes();
        long hmacKey = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.VALUE, secret), Attribute.of(CKA.SIGN, true)));
        Mac jdk = Mac.getInstance("HmacMD5");
        jdk.init(new SecretKeySpec(secret, "HmacMD5"));
        byte[] mac = jdk.doFinal(data);
        assertArrayEquals(mac, sign(f, s, Mechanism.of(CKM.MD5_HMAC), hmacKey, data));
        assertArrayEquals(Arrays.copyOf(mac, 10), sign(f, s, Mechanism.of(CKM.MD5_HMAC_GENERAL, new MechanismParams.UlongValue(10)), hmacKey, data));
        f.engine.C_Finalize();
    }

    @Test
    void rsa1024KeysSignMd5WithRsaAndDecryptWhatTheJdkEncrypts() throws Exception {
        EngineFixture f = fixture(true);
        long s = f.userSession();
        long[] pair = rsaPair(f, s, 1024);
        byte[] modulus = f.engine.C_GetAttributeValue(s, pair[0], new long[] {CKA.MODULUS}).get(0).value();
        byte[] exponent = f.engine.C_GetAttributeValue(s, pair[0], new long[] {CKA.PUBLIC_EXPONENT}).get(0).value();
        assertEquals(1024, new BigInteger(1, modulus).bitLength());
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(new BigInteger(1, modulus), new BigInteger(1, exponent)));
        byte[] data = "signed by a legacy key".getBytes();
        for (String[] m : new String[][] {{"MD5withRSA", "md5"}, {"SHA256withRSA", "sha256"}}) {
            long ckm = m[1].equals("md5") ? CKM.MD5_RSA_PKCS : CKM.SHA256_RSA_PKCS;
            byte[] sig = sign(f, s, Mechanism.of(ckm), pair[1], data);
            Signature v = Signature.getInstance(m[0]);
            v.initVerify(pub);
            v.update(data);
            assertTrue(v.verify(sig), m[0]);
        }
        Cipher jdk = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        jdk.init(Cipher.ENCRYPT_MODE, pub);
        byte[] ct = jdk.doFinal(data);
        assertArrayEquals(data, decrypt(f, s, Mechanism.of(CKM.RSA_PKCS), pair[1], ct));
        f.engine.C_Finalize();
    }

    /** PKCS#11's general block cipher wrapping: the key value null-padded to whole blocks, CKA_VALUE_LEN gives it back. */
    @Test
    void des3EcbAndCbcWrapKeysAsBouncyCastleDecryptsThem() throws Exception {
        EngineFixture f = fixture(true);
        long s = f.userSession();
        long wrapper = des3Wrapper(f, s);
        byte[] kek = f.engine.C_GetAttributeValue(s, wrapper, new long[] {CKA.VALUE}).get(0).value();
        byte[] secret = new byte[20];
        Arrays.fill(secret, (byte) 0x5A);
        long target = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.VALUE, secret),
                Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true)));
        byte[] padded = Arrays.copyOf(secret, 24);
        Mechanism ecb = Mechanism.of(CKM.DES3_ECB);
        Mechanism cbc = Mechanism.of(CKM.DES3_CBC, new MechanismParams.Bytes(IV));
        byte[] wrappedEcb = wrap(f, s, ecb, wrapper, target);
        assertArrayEquals(bc(new DESedeEngine(), kek, null, false, true, padded), wrappedEcb);
        assertArrayEquals(bc(new DESedeEngine(), kek, IV, false, true, padded), wrap(f, s, cbc, wrapper, target));
        long back = f.engine.C_UnwrapKey(s, ecb, wrapper, wrappedEcb, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.VALUE_LEN, 20L),
                Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true)));
        assertArrayEquals(secret, f.engine.C_GetAttributeValue(s, back, new long[] {CKA.VALUE}).get(0).value());
        f.engine.C_Finalize();
    }

    private static long[] rsaPair(EngineFixture f, long s, long bits) {
        return f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.MODULUS_BITS, bits), Attribute.of(CKA.VERIFY, true), Attribute.of(CKA.ENCRYPT, true)),
                List.of(Attribute.of(CKA.SIGN, true), Attribute.of(CKA.DECRYPT, true)));
    }

    private static long desKey(EngineFixture f, long s, byte[] value) {
        return f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.DES),
                Attribute.of(CKA.VALUE, value), Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.DECRYPT, true)));
    }

    /** A token-made DES3 key that wraps and unwraps but neither encrypts nor decrypts (what the extraction defence asks). */
    private static long des3Wrapper(EngineFixture f, long s) {
        return f.engine.C_GenerateKey(s, Mechanism.of(CKM.DES3_KEY_GEN), List.of(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.UNWRAP, true),
                Attribute.of(CKA.ENCRYPT, false), Attribute.of(CKA.DECRYPT, false), Attribute.of(CKA.SENSITIVE, false),
                Attribute.of(CKA.EXTRACTABLE, true)));
    }

    private static byte[] encrypt(EngineFixture f, long s, Mechanism m, long key, byte[] data) {
        f.engine.C_EncryptInit(s, m, key);
        byte[] out = new byte[data.length + 16];
        return Arrays.copyOf(out, f.engine.C_Encrypt(s, data, out));
    }

    private static byte[] decrypt(EngineFixture f, long s, Mechanism m, long key, byte[] ct) {
        f.engine.C_DecryptInit(s, m, key);
        byte[] out = new byte[ct.length];
        return Arrays.copyOf(out, f.engine.C_Decrypt(s, ct, out));
    }

    private static byte[] sign(EngineFixture f, long s, Mechanism m, long key, byte[] data) {
        f.engine.C_SignInit(s, m, key);
        byte[] out = new byte[512];
        return Arrays.copyOf(out, f.engine.C_Sign(s, data, out));
    }

    private static byte[] wrap(EngineFixture f, long s, Mechanism m, long wrapper, long key) {
        byte[] out = new byte[64];
        return Arrays.copyOf(out, f.engine.C_WrapKey(s, m, wrapper, key, out));
    }

    /** Bouncy Castle's cipher over the same key: ECB when iv is null, else CBC; PKCS#7 padding when asked. */
    private static byte[] bc(BlockCipher engine, byte[] key, byte[] iv, boolean pad, boolean encrypt, byte[] data) throws Exception {
        BlockCipher mode = iv == null ? engine : CBCBlockCipher.newInstance(engine);
        BufferedBlockCipher c = pad ? new PaddedBufferedBlockCipher(mode) : new DefaultBufferedBlockCipher(mode);
        c.init(encrypt, iv == null ? new KeyParameter(key) : new ParametersWithIV(new KeyParameter(key), iv));
        byte[] out = new byte[c.getOutputSize(data.length)];
        int n = c.processBytes(data, 0, data.length, out, 0);
        n += c.doFinal(out, n);
        return Arrays.copyOf(out, n);
    }

    private static byte[] hex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
