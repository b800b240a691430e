package io.jhsm.engine.mechanism.chacha;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.JcaAeadCipher;
import io.jhsm.engine.mechanism.KeyChecks;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Providers;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.WrapsByEncrypting;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.StreamCipher;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.engines.ChaChaEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * CKK_CHACHA20 keys (32 bytes): CKM_CHACHA20_KEY_GEN, CKM_CHACHA20 (BC: both the RFC 8439 layout,
 * 96-bit nonce and 32-bit counter, and the original 64/64 one, which SunJCE lacks) and
 * CKM_CHACHA20_POLY1305 (SunJCE, RFC 8439 AEAD with a 12-byte nonce). Key sizes in bytes.
 */
public final class ChaChaFamily implements MechanismFamily {

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.CHACHA20_KEY_GEN, 32, 32, CKF.GENERATE, new MechanismImpl() {
                    @Override
                    public List<Attribute> generateKey(Mechanism mechanism, TemplateView template) {
                        if (template.has(CKA.VALUE_LEN) && template.requireLong(CKA.VALUE_LEN) != 32) {
                            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "ChaCha20 keys are 32 bytes");
                        }
                        byte[] v = new byte[32];
                        LazyRandom.get().nextBytes(v);
                        return List.of(Attribute.of(CKA.KEY_TYPE, CKK.CHACHA20), Attribute.of(CKA.VALUE, v), Attribute.of(CKA.VALUE_LEN, 32L));
                    }
                }),
                row(CKM.CHACHA20, 32, 32, CKF.ENCRYPT | CKF.DECRYPT, new MechanismImpl() {
                    @Override
                    public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
                        return stream(mechanism, key);
                    }

                    @Override
                    public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
                        return stream(mechanism, key);
                    }
                }),
                row(CKM.CHACHA20_POLY1305, 32, 32, CKF.ENCRYPT | CKF.DECRYPT | CKF.WRAP | CKF.UNWRAP, new Aead()));
    }

    static byte[] key(KeyView key) {
        KeyChecks.requireKeyType(key, CKK.CHACHA20);
        byte[] v = key.require(CKA.VALUE);
        if (v.length != 32) {
            throw new CkException(CKR.KEY_SIZE_RANGE, "ChaCha20 key must be 32 bytes");
        }
        return v;
    }

    /**
     * The counter bytes are read little-endian, as ChaCha20 keeps its state words; a non-zero start
     * is applied by skipping that many 64-byte blocks.
     */
    private static CipherOperation stream(Mechanism mechanism, KeyView key) {
        MechanismParams.ChaCha20 p = mechanism.params(MechanismParams.ChaCha20.class);
        byte[] nonce = p.nonce();
        StreamCipher engine;
        if (p.nonceBits() == 96 && nonce != null && nonce.length == 12 && p.blockCounterBits() == 32) {
            engine = new ChaCha7539Engine();
        } else if (p.nonceBits() == 64 && nonce != null && nonce.length == 8 && p.blockCounterBits() == 64) {
            engine = new ChaChaEngine(20);
        } else {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "ChaCha20 needs a 96-bit nonce with a 32-bit counter or a 64-bit nonce with a 64-bit counter");
        }
        byte[] counter = p.blockCounter() == null ? new byte[0] : p.blockCounter();
        if (counter.length != 0 && counter.length != p.blockCounterBits() / 8) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "block counter must be " + p.blockCounterBits() / 8 + " bytes");
        }
        long start = 0;
        for (int i = counter.length - 1; i >= 0; i--) {
            start = (start << 8) | (counter[i] & 0xFF);
        }
        engine.init(true, new ParametersWithIV(new KeyParameter(key(key)), nonce));
        if (start != 0) {
            ((org.bouncycastle.crypto.SkippingCipher) engine).skip(start * 64);
        }
        return new CipherOperation() {
            @Override
            public byte[] update(byte[] part) {
                byte[] out = new byte[part.length];
                engine.processBytes(part, 0, part.length, out, 0);
                return out;
            }

            @Override
            public int outputBound(int partLength, boolean andFinal) {
                return partLength;
            }

            @Override
            public byte[] doFinal() {
                return new byte[0];
            }
        };
    }

    /** RFC 8439 AEAD; the 16-byte tag follows the ciphertext, as for AES-GCM. */
    private static final class Aead implements WrapsByEncrypting {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return open(mechanism, key, true);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return open(mechanism, key, false);
        }


        private static CipherOperation open(Mechanism mechanism, KeyView key, boolean encrypt) {
            MechanismParams.ChaCha20Poly1305 p = mechanism.params(MechanismParams.ChaCha20Poly1305.class);
            if (p.nonce() == null || p.nonce().length != 12) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "ChaCha20-Poly1305 nonce must be 12 bytes");
            }
            try {
                Cipher c = Cipher.getInstance("ChaCha20-Poly1305", Providers.SUN_JCE);
                c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key(key), "ChaCha20"), new IvParameterSpec(p.nonce()));
                if (p.aad() != null && p.aad().length > 0) {
                    c.updateAAD(p.aad());
                }
                return new JcaAeadCipher(c, encrypt, 16, 1);
            } catch (GeneralSecurityException e) {
                throw new CkException(CKR.GENERAL_ERROR, "ChaCha20-Poly1305 init", e);
            }
        }
    }
}
