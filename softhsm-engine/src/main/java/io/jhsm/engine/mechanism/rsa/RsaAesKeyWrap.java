package io.jhsm.engine.mechanism.rsa;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Wrapping;
import io.jhsm.engine.mechanism.aes.AesKeyWrapCipher;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * CKM_RSA_AES_KEY_WRAP (PKCS#11 2.40 §2.1.21): a fresh AES key of ulAESKeyBits is OAEP-encrypted
 * under the RSA public key, the target key is wrapped under it with KWP, and the output is the two
 * concatenated. The temporary AES key exists only inside this call.
 */
public record RsaAesKeyWrap(int minBits) implements MechanismImpl {
    private static final Mechanism KWP = Mechanism.of(CKM.AES_KEY_WRAP_KWP);

    @Override
    public byte[] wrap(Mechanism mechanism, KeyView wrappingKey, byte[] keyEncoding) {
        MechanismParams.RsaAesKeyWrap p = mechanism.params(MechanismParams.RsaAesKeyWrap.class);
        byte[] aesKey = new byte[aesKeyBytes(p)];
        LazyRandom.get().nextBytes(aesKey);
        try {
            byte[] encryptedKey = Wrapping.wrap(new RsaFamily.Oaep(minBits), oaep(p), wrappingKey, aesKey);
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
            k = RsaKeys.privateKey(unwrappingKey, minBits).modulusBytes();
        } catch (CkException e) {
            throw Wrapping.translate(e, false);
        }
        // The KWP part of even a 1-byte key is 16 bytes.
        if (wrapped.length < k + 16) {
            throw new CkException(CKR.WRAPPED_KEY_LEN_RANGE, "RSA-AES wrapped key shorter than the modulus plus 16 bytes");
        }
        byte[] aesKey = Wrapping.unwrap(new RsaFamily.Oaep(minBits), oaep(p), unwrappingKey, Arrays.copyOfRange(wrapped, 0, k));
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
