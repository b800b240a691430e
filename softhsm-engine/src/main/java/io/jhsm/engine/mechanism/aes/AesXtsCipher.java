package io.jhsm.engine.mechanism.aes;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.CryptoBackend;
import io.jhsm.engine.mechanism.PartBuffer;
import io.jhsm.engine.mechanism.Providers;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CKM_AES_XTS (IEEE 1619 / NIST SP 800-38E). The whole input is one data unit, so the operation is
 * single-part; a final partial block uses ciphertext stealing. The key is K1 || K2 (CKK_AES_XTS, 32 or
 * 64 bytes), the parameter the 16-byte tweak. AES-256-XTS (64-byte keys with distinct halves) runs on
 * AWS-LC through ACCP when it runs (4-7x on 4 KiB: docs/performance/primitives-rsa-aes.md); AWS-LC has no
 * AES-128-XTS and refuses equal halves, so those, and everything without ACCP, run here over SunJCE's
 * AES-ECB (neither SunJCE nor BC's lightweight API has XTS).
 */
final class AesXtsCipher implements CipherOperation {
    /** AWS-LC's largest data unit (IEEE 1619's 2^20 blocks); PKCS#11 sets none, so larger ones run portable. */
    private static final int ACCP_MAX_BYTES = 16 << 20;

    /** ACCP's AES/XTS/NoPadding, initialised; null when only the portable code below runs. */
    private final Cipher accp;
    private final byte[] key;
    private final byte[] tweakValue;
    /** SunJCE's AES-ECB under K1, and the running tweak: set up when the portable code runs. */
    private Cipher data;
    private final byte[] tweak = new byte[16];
    private final boolean encrypt;
    private final PartBuffer input = new PartBuffer();

    AesXtsCipher(byte[] key, byte[] tweakValue, boolean encrypt) {
        this(CryptoBackend.accp().orElse(null), key, tweakValue, encrypt);
    }

    /** With ACCP's provider named (null: portable), for the tests that run both. */
    AesXtsCipher(Provider accpProvider, byte[] key, byte[] tweakValue, boolean encrypt) {
        this.encrypt = encrypt;
        this.key = key;
        this.tweakValue = tweakValue;
        int half = key.length / 2;
        boolean accpTakesKey = key.length == 64 && !Arrays.equals(key, 0, half, key, half, key.length);
        accp = accpProvider != null && accpTakesKey
                ? init(accpProvider, "AES/XTS/NoPadding", encrypt, new SecretKeySpec(key, "AES"), new IvParameterSpec(tweakValue))
                : null;
    }

    private void initPortable() {
        int half = key.length / 2;
        try {
            Cipher t = Cipher.getInstance("AES/ECB/NoPadding", Providers.SUN_JCE);
            t.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, half, half, "AES"));
            t.doFinal(tweakValue, 0, 16, tweak, 0);
            data = Cipher.getInstance("AES/ECB/NoPadding", Providers.SUN_JCE);
            data.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key, 0, half, "AES"));
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, "AES-XTS init", e);
        }
    }

    private static Cipher init(Provider provider, String transformation, boolean encrypt, SecretKeySpec key, IvParameterSpec iv) {
        try {
            Cipher c = Cipher.getInstance(transformation, provider);
            c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, iv);
            return c;
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, "AES-XTS init on " + provider.getName(), e);
        }
    }

    @Override
    public byte[] update(byte[] part) {
        input.append(part);
        return new byte[0];
    }

    @Override
    public int outputBound(int partLength, boolean andFinal) {
        return andFinal ? input.length() + partLength : 0;
    }

    @Override
    public byte[] doFinal() {
        byte[] in = input.toArray();
        if (in.length < 16) {
            throw new CkException(encrypt ? CKR.DATA_LEN_RANGE : CKR.ENCRYPTED_DATA_LEN_RANGE, "XTS needs at least one block");
        }
        if (accp != null && in.length <= ACCP_MAX_BYTES) {
            try {
                return accp.doFinal(in);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new CkException(CKR.GENERAL_ERROR, "AES-XTS on ACCP refused " + in.length + " bytes", e);
            }
        }
        initPortable();
        byte[] out = new byte[in.length];
        int full = in.length / 16;
        int tail = in.length % 16;
        // With stealing, the last full block is handled with the partial one.
        int plain = tail == 0 ? full : full - 1;
        for (int j = 0; j < plain; j++) {
            block(in, 16 * j, out, 16 * j, tweak);
            timesX(tweak);
        }
        if (tail != 0) {
            int m = 16 * plain;
            byte[] second = tweak.clone();
            timesX(second);
            // Decryption undoes the last full block with the later tweak (IEEE 1619 §5.4.2).
            byte[] first = encrypt ? tweak : second;
            byte[] last = encrypt ? second : tweak;
            byte[] cc = new byte[16];
            block(in, m, cc, 0, first);
            byte[] pp = new byte[16];
            System.arraycopy(in, m + 16, pp, 0, tail);
            System.arraycopy(cc, tail, pp, tail, 16 - tail);
            System.arraycopy(cc, 0, out, m + 16, tail);
            block(pp, 0, out, m, last);
        }
        return out;
    }

    private void block(byte[] in, int inOff, byte[] out, int outOff, byte[] t) {
        byte[] x = new byte[16];
        for (int i = 0; i < 16; i++) {
            x[i] = (byte) (in[inOff + i] ^ t[i]);
        }
        try {
            data.doFinal(x, 0, 16, x, 0);
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, "AES-XTS block", e);
        }
        for (int i = 0; i < 16; i++) {
            out[outOff + i] = (byte) (x[i] ^ t[i]);
        }
        Arrays.fill(x, (byte) 0);
    }

    /** Multiplies the tweak by x in GF(2^128), little-endian byte order (IEEE 1619 §5.2). */
    private static void timesX(byte[] t) {
        int carry = 0;
        for (int i = 0; i < 16; i++) {
            int b = t[i] & 0xFF;
            t[i] = (byte) ((b << 1) | carry);
            carry = b >>> 7;
        }
        if (carry != 0) {
            t[0] ^= (byte) 0x87;
        }
    }

    @Override
    public boolean multiPart() {
        return false;
    }
}
