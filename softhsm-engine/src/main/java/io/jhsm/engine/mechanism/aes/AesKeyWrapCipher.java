package io.jhsm.engine.mechanism.aes;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.CryptoBackend;
import io.jhsm.engine.mechanism.PartBuffer;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.Wrapper;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;
import org.bouncycastle.crypto.engines.RFC5649WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The AES key wrap modes of NIST SP 800-38F over BC's wrap engines: KW (RFC 3394), KWP (RFC 5649)
 * and KW over PKCS#7 padding. Not SunJCE: its KW/KWP ciphers changed between JDK 17 and 25 (JDK 25
 * refuses caller-chosen IVs and pads KW/PKCS5Padding differently), and PKCS#11 needs both
 * IVs and one padding rule on every JDK. Single-part, as PKCS#11 defines them; the optional
 * parameter replaces the default initial value. KWP with the default initial value runs on AWS-LC through
 * ACCP when it runs (docs/performance/primitives-rsa-aes.md); ACCP ignores a caller's alternative initial
 * value, so KWP with one stays on BC, and ACCP has no KW.
 */
public final class AesKeyWrapCipher implements CipherOperation {

    public enum Variant {
        /** RFC 3394: input a multiple of 8 bytes, at least 16; 8-byte IV. */
        KW(8),
        /** RFC 5649: any length from 1 byte; 4-byte alternative IV. */
        KWP(4),
        /**
         * PKCS#7 padding to the key wrap block size, 8 bytes (the "AES Key Wrap algorithm block
         * size" of the PKCS#11 text), then RFC 3394 (CKM_AES_KEY_WRAP_PKCS7 and, in 3.0, _PAD).
         * RFC 3394 needs two semiblocks, so the input must be at least 8 bytes.
         */
        PKCS7(8);

        final int ivBytes;

        Variant(int ivBytes) {
            this.ivBytes = ivBytes;
        }

        static Variant of(long ckm) {
            if (ckm == CKM.AES_KEY_WRAP) {
                return KW;
            }
            return ckm == CKM.AES_KEY_WRAP_KWP ? KWP : PKCS7;
        }
    }

    /** BC's wrap engine, or null when {@link #accp} runs. */
    private final Wrapper engine;
    /** ACCP's AES/KWP/NoPadding, initialised; null when BC runs. */
    private final Cipher accp;
    private final PartBuffer input = new PartBuffer();
    private final boolean encrypt;
    private final Variant variant;

    public AesKeyWrapCipher(Variant variant, Mechanism mechanism, SecretKeySpec key, boolean encrypt) {
        this(CryptoBackend.accp().orElse(null), variant, mechanism, key, encrypt);
    }

    /** With ACCP's provider named (null: BC only), for the tests that run both. */
    AesKeyWrapCipher(Provider accpProvider, Variant variant, Mechanism mechanism, SecretKeySpec key, boolean encrypt) {
        this.variant = variant;
        this.encrypt = encrypt;
        byte[] iv = iv(variant, mechanism);
        if (accpProvider != null && variant == Variant.KWP && iv == null) {
            engine = null;
            try {
                accp = Cipher.getInstance("AES/KWP/NoPadding", accpProvider);
                accp.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key);
            } catch (GeneralSecurityException e) {
                throw new CkException(CKR.GENERAL_ERROR, "AES-KWP init on ACCP", e);
            }
            return;
        }
        accp = null;
        this.engine = variant == Variant.KWP ? new RFC5649WrapEngine(AESEngine.newInstance()) : new RFC3394WrapEngine(AESEngine.newInstance());
        KeyParameter k = new KeyParameter(key.getEncoded());
        engine.init(encrypt, iv == null ? k : new ParametersWithIV(k, iv));
    }

    private static byte[] iv(Variant variant, Mechanism mechanism) {
        if (mechanism.params() == null) {
            return null;
        }
        byte[] iv = mechanism.params(MechanismParams.Bytes.class).bytes();
        if (iv.length == 0) {
            return null;
        }
        if (iv.length != variant.ivBytes) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " IV must be " + variant.ivBytes + " bytes");
        }
        return iv;
    }

    @Override
    public byte[] update(byte[] part) {
        input.append(part);
        return new byte[0];
    }

    @Override
    public int outputBound(int partLength, boolean andFinal) {
        if (!andFinal) {
            return 0;
        }
        int n = input.length() + partLength;
        if (!encrypt) {
            return Math.max(0, n - 8);
        }
        return 8 + switch (variant) {
            case KW -> n;
            case KWP -> (n + 7) / 8 * 8;
            case PKCS7 -> (n / 8 + 1) * 8;
        };
    }

    @Override
    public byte[] doFinal() {
        byte[] in = input.toArray();
        return encrypt ? wrap(in) : unwrap(in);
    }

    private byte[] wrap(byte[] in) {
        boolean ok = switch (variant) {
            case KW -> in.length >= 16 && in.length % 8 == 0;
            case KWP -> in.length >= 1;
            case PKCS7 -> in.length >= 8;
        };
        if (!ok) {
            throw new CkException(CKR.DATA_LEN_RANGE, variant + " cannot wrap " + in.length + " bytes");
        }
        if (variant == Variant.PKCS7) {
            int pad = 8 - in.length % 8;
            byte[] padded = Arrays.copyOf(in, in.length + pad);
            Arrays.fill(padded, in.length, padded.length, (byte) pad);
            in = padded;
        }
        if (accp == null) {
            return engine.wrap(in, 0, in.length);
        }
        try {
            return accp.doFinal(in);
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, "AES-KWP wrap on ACCP", e);
        }
    }

    private byte[] unwrap(byte[] in) {
        if (in.length < (variant == Variant.KWP ? 16 : 24) || in.length % 8 != 0) {
            throw new CkException(CKR.ENCRYPTED_DATA_LEN_RANGE, variant + " ciphertext of " + in.length + " bytes");
        }
        byte[] out;
        try {
            out = accp == null ? engine.unwrap(in, 0, in.length) : accp.doFinal(in);
        } catch (InvalidCipherTextException | GeneralSecurityException | RuntimeException e) {
            // ACCP reports a failed integrity check as a RuntimeException; one code, no detail, either way.
            throw new CkException(CKR.ENCRYPTED_DATA_INVALID, variant + " integrity check failed");
        }
        if (variant != Variant.PKCS7) {
            return out;
        }
        int pad = out[out.length - 1] & 0xFF;
        boolean valid = pad >= 1 && pad <= 8;
        for (int i = out.length - pad; valid && i < out.length; i++) {
            valid = out[i] == (byte) pad;
        }
        if (!valid) {
            throw new CkException(CKR.ENCRYPTED_DATA_INVALID, "bad PKCS#7 padding");
        }
        return Arrays.copyOf(out, out.length - pad);
    }

    @Override
    public boolean multiPart() {
        return false;
    }
}
