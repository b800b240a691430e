package io.jhsm.engine.mechanism.aes;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.PartBuffer;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.MechanismParams;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CCMBlockCipher;
import org.bouncycastle.crypto.modes.CCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * CKM_AES_CCM (NIST SP 800-38C) over BC, which SunJCE lacks. CCM's first block encodes the message
 * length, so CK_CCM_PARAMS.ulDataLen is fixed at init and the whole message is processed at the final
 * step; decryption releases nothing before the tag is checked.
 */
final class AesCcmCipher implements CipherOperation {
    private final CCMModeCipher ccm = CCMBlockCipher.newInstance(AESEngine.newInstance());
    private final boolean encrypt;
    private final long dataLen;
    private final int macLen;
    private final PartBuffer input = new PartBuffer();

    AesCcmCipher(SecretKeySpec key, MechanismParams.Ccm p, boolean encrypt) {
        this.encrypt = encrypt;
        this.dataLen = p.dataLen();
        this.macLen = (int) p.macLen();
        byte[] nonce = p.nonce();
        if (nonce == null || nonce.length < 7 || nonce.length > 13) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "CCM nonce must be 7..13 bytes");
        }
        if (p.macLen() < 4 || p.macLen() > 16 || p.macLen() % 2 != 0) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "CCM MAC length must be 4, 6, .., 16");
        }
        // The length field has 15 - nonce bytes; the data length must fit in it.
        int lengthBytes = 15 - nonce.length;
        if (dataLen < 0 || (lengthBytes < 8 && dataLen >>> (8 * lengthBytes) != 0)) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "ulDataLen does not fit a " + nonce.length + "-byte nonce");
        }
        ccm.init(encrypt, new AEADParameters(new KeyParameter(key.getEncoded()), macLen * 8, nonce, p.aad() == null ? new byte[0] : p.aad()));
    }

    @Override
    public byte[] update(byte[] part) {
        input.append(part);
        return new byte[0];
    }

    @Override
    public int outputBound(int partLength, boolean andFinal) {
        return andFinal ? input.length() + partLength + (encrypt ? macLen : 0) : 0;
    }

    @Override
    public byte[] doFinal() {
        byte[] in = input.toArray();
        if (encrypt && in.length != dataLen) {
            throw new CkException(CKR.DATA_LEN_RANGE, "CCM input must be ulDataLen = " + dataLen + " bytes");
        }
        if (!encrypt && in.length != dataLen + macLen) {
            throw new CkException(CKR.ENCRYPTED_DATA_LEN_RANGE, "CCM ciphertext must be ulDataLen + ulMACLen bytes");
        }
        try {
            byte[] out = new byte[ccm.getOutputSize(in.length)];
            int n = ccm.processBytes(in, 0, in.length, out, 0);
            n += ccm.doFinal(out, n);
            return n == out.length ? out : java.util.Arrays.copyOf(out, n);
        } catch (InvalidCipherTextException e) {
            throw new CkException(CKR.ENCRYPTED_DATA_INVALID, "CCM tag mismatch");
        }
    }
}
