package io.jhsm.engine.mechanism.rsa;

import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.math.BigInteger;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.encodings.PKCS1Encoding;

/**
 * C_VerifyRecover for CKM_RSA_PKCS (strip the PKCS#1 v1.5 block type 1) and CKM_RSA_X_509 (the raw
 * public operation, k bytes). C_SignRecover needs nothing new: it is the single-part signature of the
 * same mechanisms.
 */
final class RsaRecovery {
    private RsaRecovery() {}

    static byte[] recover(boolean pkcs1, KeyView key, byte[] signature) {
        RsaKeys.Public p = RsaKeys.verifyingKey(key);
        if (signature.length != p.modulusBytes()) {
            throw new CkException(CKR.SIGNATURE_LEN_RANGE, "signature must be " + p.modulusBytes() + " bytes");
        }
        if (new BigInteger(1, signature).compareTo(p.params().getModulus()) >= 0) {
            throw new CkException(CKR.SIGNATURE_INVALID, "signature is not below the modulus");
        }
        AsymmetricBlockCipher rsa = pkcs1 ? new PKCS1Encoding(p.engine()) : p.engine();
        rsa.init(false, p.params());
        try {
            byte[] out = rsa.processBlock(signature, 0, signature.length);
            return pkcs1 ? out : BigInts.pad(out, p.modulusBytes());
        } catch (InvalidCipherTextException e) {
            throw new CkException(CKR.SIGNATURE_INVALID, "not a PKCS#1 v1.5 signature block");
        }
    }
}
