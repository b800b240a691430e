package io.jhsm.engine.mechanism.aes;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.MechanismParams;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * CKM_CLOUDHSM_AES_GCM, AWS CloudHSM's vendor mechanism (pkcs11-mechanisms.html, annotation 3): AES-GCM
 * whose IV the token generates (12 bytes) and puts in front of the ciphertext, so pIv must be NULL.
 * Encryption gives IV || ciphertext || tag; decryption reads the IV from the front of its input. Single-part
 * only (CloudHSM lists C_Encrypt, C_Decrypt, C_WrapKey and C_UnwrapKey for it), so the input is gathered
 * and enciphered at the final step.
 */
final class AesGcmIvPrefixCipher implements CipherOperation {
    static final int IV_BYTES = 12;
    private static final byte[] EMPTY = new byte[0];

    private final SecretKeySpec key;
    private final MechanismParams.Gcm params;
    private final boolean encrypt;
    private final int tagBytes;
    private final ByteArrayOutputStream input = new ByteArrayOutputStream();

    AesGcmIvPrefixCipher(SecretKeySpec key, MechanismParams.Gcm params, boolean encrypt) {
        if (params.iv().length != 0) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID,
                    "CKM_CLOUDHSM_AES_GCM takes pIv = NULL: the token generates the IV and puts it in front of the ciphertext");
        }
        this.tagBytes = AesGcmCipher.tagBits(params) / 8;
        this.key = key;
        this.params = params;
        this.encrypt = encrypt;
    }

    @Override
    public byte[] update(byte[] part) {
        input.writeBytes(part);
        return EMPTY;
    }

    @Override
    public byte[] doFinal() {
        byte[] in = input.toByteArray();
        if (encrypt) {
            byte[] iv = new byte[IV_BYTES];
            LazyRandom.get().nextBytes(iv);
            CipherOperation gcm = AesGcmCipher.create(key, withIv(iv), true);
            return Bytes.concat(iv, gcm.update(in), gcm.doFinal());
        }
        if (in.length < IV_BYTES + tagBytes) {
            throw new CkException(CKR.ENCRYPTED_DATA_LEN_RANGE,
                    "CKM_CLOUDHSM_AES_GCM input of " + in.length + " bytes is shorter than its IV and tag (" + (IV_BYTES + tagBytes) + ")");
        }
        byte[] iv = Arrays.copyOf(in, IV_BYTES);
        CipherOperation gcm = AesGcmCipher.create(key, withIv(iv), false);
        return Bytes.concat(gcm.update(Arrays.copyOfRange(in, IV_BYTES, in.length)), gcm.doFinal());
    }

    @Override
    public int outputBound(int partLength, boolean andFinal) {
        if (!andFinal) {
            return 0;
        }
        int total = input.size() + partLength;
        return encrypt ? IV_BYTES + total + tagBytes : Math.max(0, total - IV_BYTES - tagBytes);
    }

    @Override
    public boolean multiPart() {
        return false;
    }

    private MechanismParams.Gcm withIv(byte[] iv) {
        return new MechanismParams.Gcm(iv, IV_BYTES * 8L, params.aad(), params.tagBits());
    }
}
