package io.jhsm.engine.mechanism.des;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static io.jhsm.engine.mechanism.TestKeys.run;
import static io.jhsm.engine.mechanism.TestKeys.secret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.Externals;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.DefaultBufferedBlockCipher;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/** ChaCha20 (BC) against SunJCE and OpenSSL, ChaCha20-Poly1305 (SunJCE) against BC, DES3 (SunJCE) against BC, DES3-CMAC (BC) against openssl. */
class ChaChaAndDes3Test {
    private static final byte[] KEY = bytes(32, 1);
    private static final KeyView CHACHA = secret(CKK.CHACHA20, KEY);

    private static byte[] enc(long ckm, MechanismParams p, KeyView k, byte[] data) {
        return run(impl(ckm).encrypt(Mechanism.of(ckm, p), k), data);
    }

    private static byte[] dec(long ckm, MechanismParams p, KeyView k, byte[] data) {
        return run(impl(ckm).decrypt(Mechanism.of(ckm, p), k), data);
    }

    @Test
    void chacha20With96BitNonceMatchesSunJce() throws Exception {
        byte[] nonce = bytes(12, 2);
        byte[] data = bytes(300, 3);
        Cipher c = Cipher.getInstance("ChaCha20");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "ChaCha20"), new ChaCha20ParameterSpec(nonce, 7));
        MechanismParams.ChaCha20 p = new MechanismParams.ChaCha20(new byte[] {7, 0, 0, 0}, 32, nonce, 96);
        assertArrayEquals(c.doFinal(data), TestKeys.run(impl(CKM.CHACHA20).encrypt(Mechanism.of(CKM.CHACHA20, p), CHACHA), data, 100));
    }

    @Test
    void chacha20With64BitNonceMatchesOpenssl() {
        byte[] nonce = bytes(8, 4);
        byte[] data = bytes(200, 5);
        MechanismParams.ChaCha20 p = new MechanismParams.ChaCha20(new byte[] {3, 0, 0, 0, 0, 0, 0, 0}, 64, nonce, 64);
        byte[] openssl = Externals.chacha20(KEY, TestKeys.concat(new byte[] {3, 0, 0, 0, 0, 0, 0, 0}, nonce), data);
        assertArrayEquals(openssl, enc(CKM.CHACHA20, p, CHACHA, data));
        assertArrayEquals(data, dec(CKM.CHACHA20, p, CHACHA, openssl));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.CHACHA20, new MechanismParams.ChaCha20(new byte[4], 32, nonce, 64), CHACHA, data));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> enc(CKM.CHACHA20, p, secret(CKK.AES, KEY), data));
    }

    @Test
    void chacha20Poly1305MatchesBouncyCastle() throws Exception {
        byte[] nonce = bytes(12, 6);
        byte[] aad = bytes(13, 7);
        byte[] data = bytes(150, 8);
        ChaCha20Poly1305 bc = new ChaCha20Poly1305();
        bc.init(true, new AEADParameters(new KeyParameter(KEY), 128, nonce, aad));
        byte[] expected = new byte[bc.getOutputSize(data.length)];
        int n = bc.processBytes(data, 0, data.length, expected, 0);
        bc.doFinal(expected, n);
        MechanismParams.ChaCha20Poly1305 p = new MechanismParams.ChaCha20Poly1305(nonce, aad);
        assertArrayEquals(expected, enc(CKM.CHACHA20_POLY1305, p, CHACHA, data));
        assertArrayEquals(data, dec(CKM.CHACHA20_POLY1305, p, CHACHA, expected));
        expected[5] ^= 1;
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> dec(CKM.CHACHA20_POLY1305, p, CHACHA, expected));
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, () -> dec(CKM.CHACHA20_POLY1305, p, CHACHA, new byte[10]));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.CHACHA20_POLY1305, new MechanismParams.ChaCha20Poly1305(new byte[24], aad), CHACHA, data));
        byte[] wrapped = impl(CKM.CHACHA20_POLY1305).wrap(Mechanism.of(CKM.CHACHA20_POLY1305, p), CHACHA, bytes(32, 9));
        assertArrayEquals(bytes(32, 9), impl(CKM.CHACHA20_POLY1305).unwrap(Mechanism.of(CKM.CHACHA20_POLY1305, p), CHACHA, wrapped));
        List<Attribute> gen = impl(CKM.CHACHA20_KEY_GEN).generateKey(Mechanism.of(CKM.CHACHA20_KEY_GEN), new TemplateView(List.of()));
        assertEquals(CKK.CHACHA20, io.jhsm.pkcs11.Ulong.decode(gen.get(0).value()));
        assertEquals(32, gen.get(1).value().length);
    }

    private static byte[] des3Key() {
        List<Attribute> gen = impl(CKM.DES3_KEY_GEN).generateKey(Mechanism.of(CKM.DES3_KEY_GEN), new TemplateView(List.of()));
        assertEquals(2, gen.size(), "CKK_DES3 carries no CKA_VALUE_LEN");
        return gen.get(1).value();
    }

    @Test
    void des3ModesMatchBouncyCastle() throws Exception {
        byte[] key = des3Key();
        for (byte b : key) {
            assertEquals(1, Integer.bitCount(b & 0xFF) % 2, "odd parity");
        }
        KeyView k = secret(CKK.DES3, key);
        byte[] iv = bytes(8, 1);
        byte[] data = bytes(45, 2);
        BufferedBlockCipher cbcPad = new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(new DESedeEngine()));
        cbcPad.init(true, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] expected = new byte[cbcPad.getOutputSize(data.length)];
        cbcPad.doFinal(expected, cbcPad.processBytes(data, 0, data.length, expected, 0));
        assertArrayEquals(expected, enc(CKM.DES3_CBC_PAD, new MechanismParams.Bytes(iv), k, data));
        assertArrayEquals(data, dec(CKM.DES3_CBC_PAD, new MechanismParams.Bytes(iv), k, expected));
        BufferedBlockCipher ecb = new DefaultBufferedBlockCipher(new DESedeEngine());
        ecb.init(true, new KeyParameter(key));
        byte[] e = new byte[40];
        ecb.doFinal(e, ecb.processBytes(data, 0, 40, e, 0));
        assertArrayEquals(e, enc(CKM.DES3_ECB, null, k, java.util.Arrays.copyOf(data, 40)));
        assertRv(CKR.DATA_LEN_RANGE, () -> enc(CKM.DES3_CBC, new MechanismParams.Bytes(iv), k, data));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.DES3_CBC, new MechanismParams.Bytes(new byte[16]), k, data));
        assertRv(CKR.KEY_SIZE_RANGE, () -> enc(CKM.DES3_ECB, null, secret(CKK.DES3, new byte[16]), new byte[8]));
    }

    @Test
    void des3CmacMatchesOpenssl() throws Exception {
        byte[] key = des3Key();
        byte[] data = bytes(77, 3);
        Path f = Files.createTempFile("cmac", ".bin");
        Files.write(f, data);
        String mac = Externals.run("openssl", "mac", "-cipher", "DES-EDE3-CBC", "-macopt", "hexkey:" + HexFormat.of().formatHex(key), "-in", f.toString(), "CMAC");
        SignOperation s = impl(CKM.DES3_CMAC).sign(Mechanism.of(CKM.DES3_CMAC), secret(CKK.DES3, key));
        s.update(data);
        assertArrayEquals(HexFormat.of().parseHex(mac.toLowerCase()), s.sign());
    }
}
