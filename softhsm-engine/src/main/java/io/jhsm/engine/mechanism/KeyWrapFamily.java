package io.jhsm.engine.mechanism;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dedicated key wrap mechanisms: AES key wrap in its three SP 800-38F forms, and
 * CKM_RSA_AES_KEY_WRAP. (AES-GCM, AES-CBC-PAD and the RSA paddings wrap too; their rows live with
 * their families.) PKCS#11 3.0 lets the AES key wrap mechanisms encrypt as well as wrap.
 */
final class KeyWrapFamily implements MechanismFamily {
    private static final long ALL = CKF.ENCRYPT | CKF.DECRYPT | CKF.WRAP | CKF.UNWRAP;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.AES_KEY_WRAP, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, ALL, new AesWrap(AesKeyWrapCipher.Variant.KW)),
                // 3.0 redefined _PAD (0x210A) as PKCS#7 padding then RFC 3394, the same as _PKCS7; RFC 5649 is _KWP.
                row(CKM.AES_KEY_WRAP_PAD, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, ALL, new AesWrap(AesKeyWrapCipher.Variant.PKCS7)),
                row(CKM.AES_KEY_WRAP_KWP, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, ALL, new AesWrap(AesKeyWrapCipher.Variant.KWP)),
                row(CKM.AES_KEY_WRAP_PKCS7, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, ALL, new AesWrap(AesKeyWrapCipher.Variant.PKCS7)),
                row(CKM.RSA_AES_KEY_WRAP, RsaKeys.MIN_BITS, RsaKeys.MAX_BITS, CKF.WRAP | CKF.UNWRAP, new RsaAesWrap()));
    }

    private record AesWrap(AesKeyWrapCipher.Variant variant) implements WrapsByEncrypting {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return new AesKeyWrapCipher(variant, mechanism, AesKeys.of(key), true);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return new AesKeyWrapCipher(variant, mechanism, AesKeys.of(key), false);
        }

    }

    /**
     * CKM_RSA_AES_KEY_WRAP (PKCS#11 2.40 §2.1.21): a fresh AES key of ulAESKeyBits is OAEP-encrypted
     * under the RSA public key, the target key is wrapped under it with KWP, and the output is the two
     * concatenated. The temporary AES key exists only inside this call.
     */
    private static final class RsaAesWrap implements MechanismImpl {
        private static final Mechanism KWP = Mechanism.of(CKM.AES_KEY_WRAP_KWP);

        @Override
        public byte[] wrap(Mechanism mechanism, KeyView wrappingKey, byte[] keyEncoding) {
            MechanismParams.RsaAesKeyWrap p = mechanism.params(MechanismParams.RsaAesKeyWrap.class);
            byte[] aesKey = new byte[aesKeyBytes(p)];
            RANDOM.nextBytes(aesKey);
            try {
                byte[] encryptedKey = Wrapping.wrap(new RsaFamily.Oaep(), oaep(p), wrappingKey, aesKey);
                CipherOperation kwp = new AesKeyWrapCipher(AesKeyWrapCipher.Variant.KWP, KWP, new SecretKeySpec(aesKey, "AES"), true);
                kwp.update(keyEncoding);
                byte[] wrappedKey;
                try {
                    wrappedKey = kwp.doFinal();
                } catch (CkException e) {
                    throw Wrapping.translate(e, true);
                }
                return Bytes.concat(encryptedKey, wrappedKey);
            } finally {
                Arrays.fill(aesKey, (byte) 0);
            }
        }

        @Override
        public byte[] unwrap(Mechanism mechanism, KeyView unwrappingKey, byte[] wrapped) {
            MechanismParams.RsaAesKeyWrap p = mechanism.params(MechanismParams.RsaAesKeyWrap.class);
            int expectedAes = aesKeyBytes(p);
            int k;
            try {
                k = RsaKeys.privateKey(unwrappingKey).modulusBytes();
            } catch (CkException e) {
                throw Wrapping.translate(e, false);
            }
            // The KWP part of even a 1-byte key is 16 bytes.
            if (wrapped.length < k + 16) {
                throw new CkException(CKR.WRAPPED_KEY_LEN_RANGE, "RSA-AES wrapped key shorter than the modulus plus 16 bytes");
            }
            byte[] aesKey = Wrapping.unwrap(new RsaFamily.Oaep(), oaep(p), unwrappingKey, Arrays.copyOfRange(wrapped, 0, k));
            try {
                if (aesKey.length != expectedAes) {
                    throw new CkException(CKR.WRAPPED_KEY_INVALID, "temporary AES key is not " + p.aesKeyBits() + " bits");
                }
                CipherOperation kwp = new AesKeyWrapCipher(AesKeyWrapCipher.Variant.KWP, KWP, new SecretKeySpec(aesKey, "AES"), false);
                kwp.update(Arrays.copyOfRange(wrapped, k, wrapped.length));
                try {
                    return kwp.doFinal();
                } catch (CkException e) {
                    throw Wrapping.translate(e, false);
                }
            } finally {
                Arrays.fill(aesKey, (byte) 0);
            }
        }

        private static int aesKeyBytes(MechanismParams.RsaAesKeyWrap p) {
            long bits = p.aesKeyBits();
            if (bits != 128 && bits != 192 && bits != 256) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "ulAESKeyBits " + bits + " is not an AES key size");
            }
            if (p.oaep() == null) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "pOAEPParams is required");
            }
            return (int) bits / 8;
        }

        private static Mechanism oaep(MechanismParams.RsaAesKeyWrap p) {
            return Mechanism.of(CKM.RSA_PKCS_OAEP, p.oaep());
        }
    }
}
