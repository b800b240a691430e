package io.jhsm.engine.mechanism.aes;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.JcaBlockCipher;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
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
import java.util.List;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CKM_AES_KEY_GEN, ECB, CBC, CBC_PAD, CTR and GCM, and AWS CloudHSM's CKM_CLOUDHSM_AES_GCM (the IV in front of
 * the ciphertext; offered on cloudhsm-profile tokens). Key sizes in bytes, as PKCS#11 gives them for AES.
 */
public final class AesFamily implements MechanismFamily {
    private static final long CRYPT = CKF.ENCRYPT | CKF.DECRYPT;
    /** CBC-PAD and GCM wrap by encrypting the key encoding (PKCS#11 3.0 tables for AES and AES-GCM). */
    private static final long WRAP = CKF.WRAP | CKF.UNWRAP;
    /** PKCS#11 3.0 message-based AEAD, single- and multi-part messages (engine's MessageCalls). */
    static final long MESSAGE = CKF.MESSAGE_ENCRYPT | CKF.MESSAGE_DECRYPT | CKF.MULTI_MESSAGE;

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.AES_KEY_GEN, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, CKF.GENERATE, new KeyGen()),
                row(CKM.AES_ECB, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, CRYPT, new Block("AES/ECB/NoPadding", false)),
                row(CKM.AES_CBC, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, CRYPT, new Block("AES/CBC/NoPadding", true)),
                row(CKM.AES_CBC_PAD, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, CRYPT | WRAP, new Block("AES/CBC/PKCS5Padding", true)),
                row(CKM.AES_CTR, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, CRYPT, new Ctr()),
                row(CKM.AES_GCM, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, CRYPT | WRAP | MESSAGE, new Gcm()),
                row(CKM.CLOUDHSM_AES_GCM, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, CRYPT | WRAP, new GcmIvPrefix()));
    }

    private static final class KeyGen implements MechanismImpl {
        @Override
        public List<Attribute> generateKey(Mechanism mechanism, TemplateView template) {
            long len = template.requireLong(CKA.VALUE_LEN);
            if (!AesKeys.validLength(len)) {
                throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CKA_VALUE_LEN " + len + " is not an AES key length");
            }
            byte[] value = new byte[(int) len];
            LazyRandom.get().nextBytes(value);
            return List.of(Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE, value), Attribute.of(CKA.VALUE_LEN, len));
        }
    }

    /** ECB and the CBC modes: same JCA path, differing in transformation and whether an IV is required. */
    private record Block(String transformation, boolean needsIv) implements WrapsByEncrypting {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return open(mechanism, key, true);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return open(mechanism, key, false);
        }

        private CipherOperation open(Mechanism mechanism, KeyView key, boolean encrypt) {
            IvParameterSpec iv = null;
            if (needsIv) {
                byte[] bytes = mechanism.params(MechanismParams.Bytes.class).bytes();
                if (bytes.length != 16) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, "AES-CBC IV must be 16 bytes, got " + bytes.length);
                }
                iv = new IvParameterSpec(bytes);
            } else if (mechanism.params() != null) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "AES-ECB takes no parameter");
            }
            SecretKeySpec k = AesKeys.of(key);
            return new JcaBlockCipher(transformation, encrypt, k, iv);
        }

    }

    private static final class Ctr implements MechanismImpl {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return new AesCtrCipher(AesKeys.of(key), mechanism.params(MechanismParams.Ctr.class));
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return encrypt(mechanism, key);
        }
    }

    private static final class Gcm implements WrapsByEncrypting {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return AesGcmCipher.create(AesKeys.of(key), mechanism.params(MechanismParams.Gcm.class), true);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return AesGcmCipher.create(AesKeys.of(key), mechanism.params(MechanismParams.Gcm.class), false);
        }

    }

    /** CKM_CLOUDHSM_AES_GCM: C_Encrypt, C_Decrypt, C_WrapKey and C_UnwrapKey, as CloudHSM lists it. */
    private static final class GcmIvPrefix implements WrapsByEncrypting {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return new AesGcmIvPrefixCipher(AesKeys.of(key), mechanism.params(MechanismParams.Gcm.class), true);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return new AesGcmIvPrefixCipher(AesKeys.of(key), mechanism.params(MechanismParams.Gcm.class), false);
        }
    }
}
