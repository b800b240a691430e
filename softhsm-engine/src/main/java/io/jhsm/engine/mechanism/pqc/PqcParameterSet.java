package io.jhsm.engine.mechanism.pqc;

import io.jhsm.engine.mechanism.KeyChecks;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Ck;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Ulong;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSAParameters;

/**
 * The PKCS#11 3.2 parameter sets (CKA_PARAMETER_SET) of ML-KEM (FIPS 203), ML-DSA (FIPS 204) and
 * SLH-DSA (FIPS 205), with the sizes in bytes those standards fix: public key (CKA_VALUE of the
 * public key), private key (CKA_VALUE of the private key), seed (CKA_SEED; 0 where the key has
 * none) and output (signature, or ML-KEM ciphertext).
 */
enum PqcParameterSet {
    ML_KEM_512(CKK.ML_KEM, CKP.ML_KEM_512, MLKEMParameters.ml_kem_512, 800, 1632, 64, 768),
    ML_KEM_768(CKK.ML_KEM, CKP.ML_KEM_768, MLKEMParameters.ml_kem_768, 1184, 2400, 64, 1088),
    ML_KEM_1024(CKK.ML_KEM, CKP.ML_KEM_1024, MLKEMParameters.ml_kem_1024, 1568, 3168, 64, 1568),
    ML_DSA_44(CKK.ML_DSA, CKP.ML_DSA_44, MLDSAParameters.ml_dsa_44, 1312, 2560, 32, 2420),
    ML_DSA_65(CKK.ML_DSA, CKP.ML_DSA_65, MLDSAParameters.ml_dsa_65, 1952, 4032, 32, 3309),
    ML_DSA_87(CKK.ML_DSA, CKP.ML_DSA_87, MLDSAParameters.ml_dsa_87, 2592, 4896, 32, 4627),
    SLH_DSA_SHA2_128S(CKK.SLH_DSA, CKP.SLH_DSA_SHA2_128S, SLHDSAParameters.sha2_128s, 32, 64, 0, 7856),
    SLH_DSA_SHAKE_128S(CKK.SLH_DSA, CKP.SLH_DSA_SHAKE_128S, SLHDSAParameters.shake_128s, 32, 64, 0, 7856),
    SLH_DSA_SHA2_128F(CKK.SLH_DSA, CKP.SLH_DSA_SHA2_128F, SLHDSAParameters.sha2_128f, 32, 64, 0, 17088),
    SLH_DSA_SHAKE_128F(CKK.SLH_DSA, CKP.SLH_DSA_SHAKE_128F, SLHDSAParameters.shake_128f, 32, 64, 0, 17088),
    SLH_DSA_SHA2_192S(CKK.SLH_DSA, CKP.SLH_DSA_SHA2_192S, SLHDSAParameters.sha2_192s, 48, 96, 0, 16224),
    SLH_DSA_SHAKE_192S(CKK.SLH_DSA, CKP.SLH_DSA_SHAKE_192S, SLHDSAParameters.shake_192s, 48, 96, 0, 16224),
    SLH_DSA_SHA2_192F(CKK.SLH_DSA, CKP.SLH_DSA_SHA2_192F, SLHDSAParameters.sha2_192f, 48, 96, 0, 35664),
    SLH_DSA_SHAKE_192F(CKK.SLH_DSA, CKP.SLH_DSA_SHAKE_192F, SLHDSAParameters.shake_192f, 48, 96, 0, 35664),
    SLH_DSA_SHA2_256S(CKK.SLH_DSA, CKP.SLH_DSA_SHA2_256S, SLHDSAParameters.sha2_256s, 64, 128, 0, 29792),
    SLH_DSA_SHAKE_256S(CKK.SLH_DSA, CKP.SLH_DSA_SHAKE_256S, SLHDSAParameters.shake_256s, 64, 128, 0, 29792),
    SLH_DSA_SHA2_256F(CKK.SLH_DSA, CKP.SLH_DSA_SHA2_256F, SLHDSAParameters.sha2_256f, 64, 128, 0, 49856),
    SLH_DSA_SHAKE_256F(CKK.SLH_DSA, CKP.SLH_DSA_SHAKE_256F, SLHDSAParameters.shake_256f, 64, 128, 0, 49856);

    final long keyType;
    final long ckp;
    /** The BC parameter object: MLKEMParameters, MLDSAParameters or SLHDSAParameters, as keyType says. */
    final Object bc;
    final int publicBytes;
    final int privateBytes;
    final int seedBytes;
    final int outputBytes;

    PqcParameterSet(long keyType, long ckp, Object bc, int publicBytes, int privateBytes, int seedBytes, int outputBytes) {
        this.keyType = keyType;
        this.ckp = ckp;
        this.bc = bc;
        this.publicBytes = publicBytes;
        this.privateBytes = privateBytes;
        this.seedBytes = seedBytes;
        this.outputBytes = outputBytes;
    }

    /** The set a CKA_PARAMETER_SET value names for the key type; CKR_PARAMETER_SET_NOT_SUPPORTED for others. */
    static PqcParameterSet of(long keyType, long ckp) {
        for (PqcParameterSet p : values()) {
            if (p.keyType == keyType && p.ckp == ckp) {
                return p;
            }
        }
        throw new CkException(CKR.PARAMETER_SET_NOT_SUPPORTED, "parameter set " + ckp + " of " + CKK.name(keyType));
    }

    /** The encoded CKA_PARAMETER_SET of a key, or {@code rvWhenBad} when it is missing or not a CK_ULONG. */
    static PqcParameterSet of(long keyType, byte[] encoded, long rvWhenBad) {
        if (encoded == null || encoded.length != Ck.ULONG_SIZE) {
            throw new CkException(rvWhenBad, "CKA_PARAMETER_SET missing or not a CK_ULONG");
        }
        return of(keyType, Ulong.decode(encoded));
    }

    /** Key generation: the set named in the public key's template (the specification puts it there). */
    static PqcParameterSet forGeneration(long keyType, TemplateView publicTemplate) {
        byte[] v = publicTemplate.require(CKA.PARAMETER_SET);
        if (v.length != Ck.ULONG_SIZE) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CKA_PARAMETER_SET is a CK_ULONG");
        }
        return of(keyType, Ulong.decode(v));
    }

    /** The set of an existing key object; a key without a valid one is CKR_KEY_TYPE_INCONSISTENT. */
    static PqcParameterSet of(KeyView key, long keyType) {
        KeyChecks.requireKeyType(key, keyType);
        byte[] v = key.attribute(CKA.PARAMETER_SET);
        if (v == null || v.length != Ck.ULONG_SIZE) {
            throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "key has no valid CKA_PARAMETER_SET");
        }
        return of(keyType, Ulong.decode(v));
    }

    static int minPublicBytes(long keyType) {
        int min = Integer.MAX_VALUE;
        for (PqcParameterSet p : values()) {
            if (p.keyType == keyType) {
                min = Math.min(min, p.publicBytes);
            }
        }
        return min;
    }

    static int maxPublicBytes(long keyType) {
        int max = 0;
        for (PqcParameterSet p : values()) {
            if (p.keyType == keyType) {
                max = Math.max(max, p.publicBytes);
            }
        }
        return max;
    }
}
