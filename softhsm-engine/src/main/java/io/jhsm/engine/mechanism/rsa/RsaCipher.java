package io.jhsm.engine.mechanism.rsa;

import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.PartBuffer;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKZ;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.crypto.encodings.PKCS1Encoding;
import org.bouncycastle.crypto.params.ParametersWithRandom;

/**
 * RSA encryption and decryption: CKM_RSA_PKCS (PKCS#1 v1.5 type 2), CKM_RSA_PKCS_OAEP and raw
 * CKM_RSA_X_509, all single-part. BC's encodings for the same reasons as the signers (OAEP labels, any MGF1
 * hash and raw blocks with one code path, one error code for every bad padding), over the key's RSA engine.
 */
final class RsaCipher implements CipherOperation {

    enum Padding { RAW, PKCS1, OAEP }

    private final AsymmetricBlockCipher cipher;
    private final boolean encrypt;
    private final Padding padding;
    private final int k;
    private final PartBuffer input = new PartBuffer();

    RsaCipher(Padding padding, Mechanism mechanism, KeyView key, boolean encrypt, int minBits) {
        this(padding, mechanism, encrypt ? RsaKeys.publicKey(key, minBits) : RsaKeys.privateKey(key, minBits), encrypt);
    }

    RsaCipher(Padding padding, Mechanism mechanism, RsaKeys.Parsed key, boolean encrypt) {
        this.padding = padding;
        this.encrypt = encrypt;
        this.k = key.modulusBytes();
        AsymmetricBlockCipher engine = key.engine();
        cipher = switch (padding) {
            case RAW -> engine;
            case PKCS1 -> new PKCS1Encoding(engine);
            case OAEP -> oaep(engine, mechanism.params(MechanismParams.Oaep.class));
        };
        if (padding != Padding.OAEP && mechanism.params() != null) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "this RSA mechanism takes no parameter");
        }
        cipher.init(encrypt, new ParametersWithRandom(key.params(), LazyRandom.get()));
    }

    private static AsymmetricBlockCipher oaep(AsymmetricBlockCipher engine, MechanismParams.Oaep p) {
        HashAlg hash = HashAlg.byCkm(p.hashAlg());
        HashAlg mgfHash = HashAlg.byMgf(p.mgf()); // may differ from hashAlg: PKCS#11 and RFC 8017 allow it
        byte[] label = p.sourceData() == null ? new byte[0] : p.sourceData();
        // CKZ_DATA_SPECIFIED is the only source PKCS#11 defines; tolerate 0 when no label is given.
        if (p.source() != CKZ.DATA_SPECIFIED && !(p.source() == 0 && label.length == 0)) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "OAEP source must be CKZ_DATA_SPECIFIED");
        }
        return new OAEPEncoding(engine, hash.newBcDigest(), mgfHash.newBcDigest(), label);
    }

    @Override
    public byte[] update(byte[] part) {
        input.append(part);
        return new byte[0];
    }

    @Override
    public int outputBound(int partLength, boolean andFinal) {
        return andFinal ? k : 0;
    }

    @Override
    public byte[] doFinal() {
        byte[] in = input.toArray();
        if (encrypt) {
            int max = padding == Padding.RAW ? k : cipher.getInputBlockSize();
            if (in.length > max) {
                throw new CkException(CKR.DATA_LEN_RANGE, "at most " + max + " bytes for this key and padding");
            }
        } else if (in.length != k) {
            throw new CkException(CKR.ENCRYPTED_DATA_LEN_RANGE, "RSA ciphertext must be " + k + " bytes");
        }
        try {
            byte[] out = cipher.processBlock(in, 0, in.length);
            // Raw RSA output is a full block in both directions (X.509 keeps leading zeros).
            return padding == Padding.RAW || encrypt ? BigInts.pad(out, k) : out;
        } catch (InvalidCipherTextException | RuntimeException e) {
            if (encrypt) {
                throw new CkException(CKR.DATA_LEN_RANGE, "input not below the modulus");
            }
            throw new CkException(CKR.ENCRYPTED_DATA_INVALID);
        }
    }

    @Override
    public boolean multiPart() {
        return false;
    }
}
