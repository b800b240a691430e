package io.jhsm.node;

import static io.jhsm.node.NodeFixture.assertRv;
import static io.jhsm.node.NodeFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.client.RemoteCryptoki;
import io.jhsm.engine.Engine;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.DerivedKey;
import io.jhsm.pkcs11.Encapsulation;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crypto through a node gives what the engine gives in process, cross-checked with the JDK. */
class RemoteCryptoTest {
    static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final byte[] IV = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    static final byte[] TEXT = bytes("a message of some forty-one bytes, or so.");

    @TempDir
    Path dir;
    NodeFixture node;
    RemoteCryptoki remote;
    long s;

    @BeforeEach
    void connect() throws Exception {
        node = new NodeFixture(dir, 64);
        remote = node.connected();
        s = NodeFixture.userSession(remote);
    }

    @AfterEach
    void disconnect() throws Exception {
        remote.C_Finalize();
        node.close();
    }

    static long aesKey(Cryptoki c, long session, byte[] value, long... flags) {
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.VALUE, value)));
        for (long f : flags) {
            t.add(Attribute.of(f, true));
        }
        return c.C_CreateObject(session, t);
    }

    private byte[] read(Cryptoki c, long session, long object, long type) {
        var r = c.C_GetAttributeValue(session, object, new long[] {type}).get(0);
        assertEquals(CKR.OK, r.rv(), CKA.name(type));
        return r.value();
    }

    @Test
    void rsaSignatureVerifiesWithTheJdkAndATamperedOneIsSignatureInvalid() throws Exception {
        long[] pair = remote.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.MODULUS_BITS, 2048L), Attribute.of(CKA.PUBLIC_EXPONENT, new byte[] {1, 0, 1}),
                        Attribute.of(CKA.VERIFY, true)),
                List.of(Attribute.of(CKA.SIGN, true)));
        remote.C_SignInit(s, Mechanism.of(CKM.SHA256_RSA_PKCS), pair[1]);
        byte[] sig = new byte[remote.C_Sign(s, TEXT, null)];
        assertEquals(256, remote.C_Sign(s, TEXT, sig));

        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, read(remote, s, pair[0], CKA.MODULUS)), new BigInteger(1, read(remote, s, pair[0], CKA.PUBLIC_EXPONENT))));
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initVerify(pub);
        jdk.update(TEXT);
        assertTrue(jdk.verify(sig));

        remote.C_VerifyInit(s, Mechanism.of(CKM.SHA256_RSA_PKCS), pair[0]);
        remote.C_Verify(s, TEXT, sig);
        sig[10] ^= 1;
        remote.C_VerifyInit(s, Mechanism.of(CKM.SHA256_RSA_PKCS), pair[0]);
        assertRv(CKR.SIGNATURE_INVALID, () -> remote.C_Verify(s, TEXT, sig));
    }

    @Test
    void aesCbcPadSingleAndMultiPartMatchTheJdk() throws Exception {
        long k = aesKey(remote, s, KEY, CKA.ENCRYPT, CKA.DECRYPT);
        Mechanism cbcPad = Mechanism.of(CKM.AES_CBC_PAD, new MechanismParams.Bytes(IV));
        Cipher jdk = Cipher.getInstance("AES/CBC/PKCS5Padding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(IV));
        byte[] expected = jdk.doFinal(TEXT);

        remote.C_EncryptInit(s, cbcPad, k);
        byte[] ct = new byte[remote.C_Encrypt(s, TEXT, null)];
        assertEquals(expected.length, remote.C_Encrypt(s, TEXT, ct));
        assertArrayEquals(expected, ct);

        remote.C_EncryptInit(s, cbcPad, k);
        byte[] parts = new byte[64];
        int n = remote.C_EncryptUpdate(s, Arrays.copyOf(TEXT, 20), parts);
        n += remote.C_EncryptUpdate(s, Arrays.copyOfRange(TEXT, 20, TEXT.length), Arrays.copyOfRange(parts, n, 64));
        assertEquals(32, n, "two whole blocks so far");
        byte[] last = new byte[16];
        assertEquals(16, remote.C_EncryptFinal(s, last));
        assertArrayEquals(Arrays.copyOfRange(expected, 32, 48), last);

        remote.C_DecryptInit(s, cbcPad, k);
        byte[] pt = new byte[expected.length];
        assertEquals(TEXT.length, remote.C_Decrypt(s, expected, pt));
        assertArrayEquals(TEXT, Arrays.copyOf(pt, TEXT.length));
    }

    @Test
    void digestMatchesTheJdk() throws Exception {
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(TEXT);
        remote.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        byte[] out = new byte[32];
        assertEquals(32, remote.C_Digest(s, TEXT, out));
        assertArrayEquals(expected, out);
        remote.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        remote.C_DigestUpdate(s, Arrays.copyOf(TEXT, 5));
        remote.C_DigestUpdate(s, Arrays.copyOfRange(TEXT, 5, TEXT.length));
        byte[] multi = new byte[32];
        assertEquals(32, remote.C_DigestFinal(s, multi));
        assertArrayEquals(expected, multi);
    }

    @Test
    void aesKeyWrapMatchesTheJdkAndUnwrapsToTheSameValue() throws Exception {
        long kek = aesKey(remote, s, KEY, CKA.WRAP, CKA.UNWRAP);
        byte[] secret = Arrays.copyOf(IV, 16);
        long target = remote.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.VALUE, secret), Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.SENSITIVE, false)));
        byte[] wrapped = new byte[remote.C_WrapKey(s, Mechanism.of(CKM.AES_KEY_WRAP), kek, target, null)];
        assertEquals(24, remote.C_WrapKey(s, Mechanism.of(CKM.AES_KEY_WRAP), kek, target, wrapped));

        Cipher jdk = Cipher.getInstance("AESWrap");
        jdk.init(Cipher.WRAP_MODE, new SecretKeySpec(KEY, "AES"));
        assertArrayEquals(jdk.wrap(new SecretKeySpec(secret, "AES")), wrapped);

        long unwrapped = remote.C_UnwrapKey(s, Mechanism.of(CKM.AES_KEY_WRAP), kek, wrapped, List.of(
                Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.SENSITIVE, false),
                Attribute.of(CKA.EXTRACTABLE, true)));
        assertArrayEquals(secret, read(remote, s, unwrapped, CKA.VALUE));
    }

    /** SP 800-108 counter KDF with one additional key: its handle reaches the caller's phKey, and both values match the local engine's. */
    @Test
    void derivationHandsEveryKeyOverAndMatchesTheLocalEngine() {
        Engine local = node.local();
        try {
            long ls = NodeFixture.userSession(local);
            byte[][] remoteValues = derive(remote, s);
            byte[][] localValues = derive(local, ls);
            assertArrayEquals(localValues[0], remoteValues[0]);
            assertArrayEquals(localValues[1], remoteValues[1]);
            assertFalse(Arrays.equals(remoteValues[0], remoteValues[1]));
        } finally {
            local.C_Finalize();
        }
    }

    private byte[][] derive(Cryptoki c, long session) {
        byte[] base = new byte[32];
        Arrays.fill(base, (byte) 0x5c);
        long baseKey = c.C_CreateObject(session, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.VALUE, base), Attribute.of(CKA.DERIVE, true)));
        List<Attribute> readable = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET),
                Attribute.of(CKA.VALUE_LEN, 16L), Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
        long[] extra = {-1};
        byte[] format = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(8, 32).array();
        Mechanism kdf = Mechanism.of(CKM.SP800_108_COUNTER_KDF, new MechanismParams.Sp800108Kdf(CKM.SHA256_HMAC,
                List.of(new MechanismParams.PrfDataParam(1, format), new MechanismParams.PrfDataParam(4, new byte[] {1, 2, 3})), null,
                List.of(new DerivedKey(readable, h -> extra[0] = h))));
        long main = c.C_DeriveKey(session, kdf, baseKey, readable);
        assertNotEquals(-1, extra[0], "the additional key's handle was handed to its phKey");
        return new byte[][] {read(c, session, main, CKA.VALUE), read(c, session, extra[0], CKA.VALUE)};
    }

    @Test
    void messageGcmFillsTheCallersIvAndTagAndMatchesTheJdk() throws Exception {
        long k = aesKey(remote, s, KEY, CKA.ENCRYPT, CKA.DECRYPT);
        remote.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), k);
        byte[] fixed = {(byte) 0xCA, (byte) 0xFE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        MechanismParams.GcmMessage p = new MechanismParams.GcmMessage(fixed.clone(), 16, CKG.GENERATE_RANDOM, new byte[16], 128);
        byte[] aad = bytes("header");
        assertEquals(TEXT.length, remote.C_EncryptMessage(s, p, aad, TEXT, null), "length query");
        byte[] ct = new byte[TEXT.length];
        assertEquals(TEXT.length, remote.C_EncryptMessage(s, p, aad, TEXT, ct));
        assertArrayEquals(Arrays.copyOf(fixed, 2), Arrays.copyOf(p.iv(), 2));
        assertFalse(Arrays.equals(fixed, p.iv()), "the generated IV reached the caller's array");

        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, p.iv()));
        jdk.updateAAD(aad);
        byte[] expected = jdk.doFinal(TEXT);
        assertArrayEquals(Arrays.copyOf(expected, TEXT.length), ct);
        assertArrayEquals(Arrays.copyOfRange(expected, TEXT.length, expected.length), p.tag(), "the tag reached the caller's array");
        remote.C_MessageEncryptFinal(s);

        remote.C_MessageDecryptInit(s, Mechanism.of(CKM.AES_GCM), k);
        byte[] pt = new byte[TEXT.length];
        assertEquals(TEXT.length, remote.C_DecryptMessage(s, p, aad, ct, pt));
        assertArrayEquals(TEXT, pt);
        p.tag()[0] ^= 1;
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> remote.C_DecryptMessage(s, p, aad, ct, pt));
        remote.C_MessageDecryptFinal(s);
    }
    /** C_EncapsulateKey's two-call protocol across the wire: a query or too small a buffer makes no key; the secrets agree. */
    @Test
    void mlKemEncapsulationMakesAKeyOnlyWithTheCiphertextAndBothSidesHoldTheSameSecret() {
        long[] pair = remote.C_GenerateKeyPair(s, Mechanism.of(CKM.ML_KEM_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.PARAMETER_SET, CKP.ML_KEM_768)), List.of());
        Mechanism mlKem = Mechanism.of(CKM.ML_KEM);
        List<Attribute> readable = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET),
                Attribute.of(CKA.SENSITIVE, false));
        Encapsulation query = remote.C_EncapsulateKey(s, mlKem, pair[0], readable, null);
        assertEquals(1088, query.ciphertextLength());
        assertEquals(0, query.hKey(), "a length query makes no key");
        assertRv(CKR.BUFFER_TOO_SMALL, () -> remote.C_EncapsulateKey(s, mlKem, pair[0], readable, new byte[100]));
        byte[] ct = new byte[1088];
        Encapsulation made = remote.C_EncapsulateKey(s, mlKem, pair[0], readable, ct);
        assertNotEquals(0, made.hKey());
        long decapsulated = remote.C_DecapsulateKey(s, mlKem, pair[1], readable, ct);
        assertArrayEquals(read(remote, s, made.hKey(), CKA.VALUE), read(remote, s, decapsulated, CKA.VALUE));
    }
}
