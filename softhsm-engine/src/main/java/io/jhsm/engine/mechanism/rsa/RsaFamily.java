package io.jhsm.engine.mechanism.rsa;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.mechanism.WrapsByEncrypting;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import java.util.ArrayList;
import java.util.List;

/**
 * The RSA rows; key sizes in bits, 2048..8192. Verification alone also accepts public keys down to
 * 1024 bits (RsaKeys.verifyingKey), so that signatures made by legacy keys can still be checked; no
 * operation that protects new data (signing, encryption, wrapping) runs with a key under 2048 bits,
 * unless the token offers legacy algorithms: then every row starts at 1024 bits, and CKM_MD5_RSA_PKCS joins.
 */
public final class RsaFamily implements MechanismFamily {
    private static final long SIGN = CKF.SIGN | CKF.VERIFY;
    private static final long CRYPT = CKF.ENCRYPT | CKF.DECRYPT;
    private static final long RECOVER = CKF.SIGN_RECOVER | CKF.VERIFY_RECOVER;
    /** PKCS#1 v1.5 and OAEP wrap by encrypting the key encoding; raw X.509 would leak its structure, so it does not. */
    private static final long WRAP = CKF.WRAP | CKF.UNWRAP;

    @Override
    public List<MechanismEntry> entries() {
        return rows(RsaKeys.MIN_BITS);
    }

    /** RSA keys from 1024 bits (factorable with enough effort; NIST disallowed them in 2013), and MD5 with RSA. */
    @Override
    public List<MechanismEntry> legacyEntries() {
        List<MechanismEntry> rows = rows(RsaKeys.LEGACY_MIN_BITS);
        rows.add(row(CKM.MD5_RSA_PKCS, RsaKeys.LEGACY_MIN_BITS, RsaKeys.MAX_BITS, SIGN, new HashedPkcs1(HashAlg.MD5, RsaKeys.LEGACY_MIN_BITS)));
        return rows;
    }

    private static List<MechanismEntry> rows(int min) {
        long max = RsaKeys.MAX_BITS;
        List<MechanismEntry> rows = new ArrayList<>();
        rows.add(row(CKM.RSA_PKCS_KEY_PAIR_GEN, min, max, CKF.GENERATE_KEY_PAIR, new RsaKeyPairGen(min)));
        rows.add(row(CKM.RSA_X9_31_KEY_PAIR_GEN, min, max, CKF.GENERATE_KEY_PAIR,
                new RsaKeyPairGen(min, RsaKeyPairGen.X9_31_STEP_BITS)));
        rows.add(row(CKM.RSA_PKCS, min, max, CRYPT | SIGN | RECOVER | WRAP, new Pkcs1(RsaPkcsSigner.Kind.PKCS1, RsaCipher.Padding.PKCS1, min)));
        rows.add(row(CKM.RSA_X_509, min, max, CRYPT | SIGN | RECOVER, new Pkcs1(RsaPkcsSigner.Kind.RAW, RsaCipher.Padding.RAW, min)));
        rows.add(row(CKM.RSA_PKCS_OAEP, min, max, CRYPT | WRAP, new Oaep(min)));
        rows.add(row(CKM.RSA_PKCS_PSS, min, max, SIGN, new Pss(null, min)));
        rows.add(row(CKM.RSA_AES_KEY_WRAP, min, max, WRAP, new RsaAesKeyWrap(min)));
        // (hash, CKM_xxx_RSA_PKCS, CKM_xxx_RSA_PKCS_PSS); SHA-512/t has no RSA mechanisms in PKCS#11.
        Object[][] hashed = {
            {HashAlg.SHA1, CKM.SHA1_RSA_PKCS, CKM.SHA1_RSA_PKCS_PSS}, {HashAlg.SHA224, CKM.SHA224_RSA_PKCS, CKM.SHA224_RSA_PKCS_PSS},
            {HashAlg.SHA256, CKM.SHA256_RSA_PKCS, CKM.SHA256_RSA_PKCS_PSS}, {HashAlg.SHA384, CKM.SHA384_RSA_PKCS, CKM.SHA384_RSA_PKCS_PSS},
            {HashAlg.SHA512, CKM.SHA512_RSA_PKCS, CKM.SHA512_RSA_PKCS_PSS},
            {HashAlg.SHA3_224, CKM.SHA3_224_RSA_PKCS, CKM.SHA3_224_RSA_PKCS_PSS}, {HashAlg.SHA3_256, CKM.SHA3_256_RSA_PKCS, CKM.SHA3_256_RSA_PKCS_PSS},
            {HashAlg.SHA3_384, CKM.SHA3_384_RSA_PKCS, CKM.SHA3_384_RSA_PKCS_PSS}, {HashAlg.SHA3_512, CKM.SHA3_512_RSA_PKCS, CKM.SHA3_512_RSA_PKCS_PSS}};
        for (Object[] h : hashed) {
            HashAlg hash = (HashAlg) h[0];
            rows.add(row((Long) h[1], min, max, SIGN, new HashedPkcs1(hash, min)));
            rows.add(row((Long) h[2], min, max, SIGN, new Pss(hash, min)));
        }
        return rows;
    }

    private static void noParams(Mechanism mechanism) {
        if (mechanism.params() != null) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " takes no parameter");
        }
    }

    /** CKM_RSA_PKCS and CKM_RSA_X_509: the same shape, differing only in padding. */
    private record Pkcs1(RsaPkcsSigner.Kind kind, RsaCipher.Padding padding, int minBits) implements WrapsByEncrypting {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return new RsaCipher(padding, mechanism, key, true, minBits);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return new RsaCipher(padding, mechanism, key, false, minBits);
        }


        @Override
        public SignOperation sign(Mechanism mechanism, KeyView key) {
            noParams(mechanism);
            return RsaPkcsSigner.forSigning(kind, null, key, minBits);
        }

        @Override
        public VerifyOperation verify(Mechanism mechanism, KeyView key) {
            noParams(mechanism);
            return RsaPkcsSigner.forVerifying(kind, null, key);
        }

        @Override
        public byte[] verifyRecover(Mechanism mechanism, KeyView key, byte[] signature) {
            noParams(mechanism);
            return RsaRecovery.recover(kind == RsaPkcsSigner.Kind.PKCS1, key, signature);
        }
    }

    private record HashedPkcs1(HashAlg hash, int minBits) implements MechanismImpl {
        @Override
        public SignOperation sign(Mechanism mechanism, KeyView key) {
            noParams(mechanism);
            return RsaPkcsSigner.forSigning(RsaPkcsSigner.Kind.HASHED, hash, key, minBits);
        }

        @Override
        public VerifyOperation verify(Mechanism mechanism, KeyView key) {
            noParams(mechanism);
            return RsaPkcsSigner.forVerifying(RsaPkcsSigner.Kind.HASHED, hash, key);
        }
    }

    record Oaep(int minBits) implements WrapsByEncrypting {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return new RsaCipher(RsaCipher.Padding.OAEP, mechanism, key, true, minBits);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return new RsaCipher(RsaCipher.Padding.OAEP, mechanism, key, false, minBits);
        }

    }

    /** CKM_RSA_PKCS_PSS when hash is null, CKM_SHAxxx_RSA_PKCS_PSS otherwise. */
    private record Pss(HashAlg hash, int minBits) implements MechanismImpl {
        @Override
        public SignOperation sign(Mechanism mechanism, KeyView key) {
            return RsaPssSigner.create(mechanism, hash, RsaKeys.privateKey(key, minBits), true);
        }

        @Override
        public VerifyOperation verify(Mechanism mechanism, KeyView key) {
            return RsaPssSigner.create(mechanism, hash, RsaKeys.verifyingKey(key), false);
        }
    }
}
