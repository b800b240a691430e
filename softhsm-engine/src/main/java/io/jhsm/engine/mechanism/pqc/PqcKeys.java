package io.jhsm.engine.mechanism.pqc;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Ulong;
import java.util.Arrays;
import java.util.Map;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPublicKeyParameters;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSAParameters;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSAPublicKeyParameters;

/**
 * Post-quantum keys from key objects, parsed once per object. As PKCS#11 3.2 defines them, CKA_VALUE
 * of a public key is the FIPS encoding of the public key (ML-KEM ek, ML-DSA pk, SLH-DSA PK.seed||PK.root)
 * and CKA_VALUE of a private key the FIPS encoding of the private key (ML-KEM dk, ML-DSA sk, SLH-DSA
 * SK.seed||SK.prf||PK.seed||PK.root). CKA_SEED of ML-KEM and ML-DSA private keys is the key
 * generation seed (d||z, and ξ), from which the private key can be made again.
 */
public final class PqcKeys {
    private PqcKeys() {}

    record Private(PqcParameterSet set, AsymmetricKeyParameter params) {}

    record Public(PqcParameterSet set, AsymmetricKeyParameter params) {}

    static Private privateKey(KeyView key, long keyType) {
        PqcParameterSet set = PqcParameterSet.of(key, keyType);
        if (key.attribute(CKA.CLASS) != null && key.objectClass() != CKO.PRIVATE_KEY) {
            throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "this needs the private key");
        }
        return key.cached(Private.class, () -> {
            byte[] value = key.attribute(CKA.VALUE);
            byte[] material = value != null && value.length > 0 ? value : key.require(CKA.SEED);
            return new Private(set, privateParams(set, material, CKR.KEY_TYPE_INCONSISTENT));
        });
    }

    static Public publicKey(KeyView key, long keyType) {
        PqcParameterSet set = PqcParameterSet.of(key, keyType);
        if (key.attribute(CKA.CLASS) != null && key.objectClass() != CKO.PUBLIC_KEY) {
            throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "this needs the public key");
        }
        return key.cached(Public.class, () -> new Public(set, publicParams(set, key.require(CKA.VALUE), CKR.KEY_TYPE_INCONSISTENT)));
    }

    /** The private key from its CKA_VALUE (full encoding) or CKA_SEED (seed length), by length. */
    static AsymmetricKeyParameter privateParams(PqcParameterSet set, byte[] material, long rvOnError) {
        boolean seed = set.seedBytes > 0 && material.length == set.seedBytes;
        if (!seed && material.length != set.privateBytes) {
            throw new CkException(rvOnError, set + " private key must be " + set.privateBytes + " bytes");
        }
        try {
            if (set.keyType == CKK.ML_DSA) {
                return new MLDSAPrivateKeyParameters((MLDSAParameters) set.bc, material);
            }
            if (set.keyType == CKK.ML_KEM) {
                return new MLKEMPrivateKeyParameters((MLKEMParameters) set.bc, material);
            }
            return new SLHDSAPrivateKeyParameters((SLHDSAParameters) set.bc, material);
        } catch (RuntimeException e) {
            throw new CkException(rvOnError, "not a " + set + " private key");
        }
    }

    static AsymmetricKeyParameter publicParams(PqcParameterSet set, byte[] value, long rvOnError) {
        if (value.length != set.publicBytes) {
            throw new CkException(rvOnError, set + " public key must be " + set.publicBytes + " bytes");
        }
        try {
            if (set.keyType == CKK.ML_DSA) {
                return new MLDSAPublicKeyParameters((MLDSAParameters) set.bc, value);
            }
            if (set.keyType == CKK.ML_KEM) {
                return new MLKEMPublicKeyParameters((MLKEMParameters) set.bc, value);
            }
            return new SLHDSAPublicKeyParameters((SLHDSAParameters) set.bc, value);
        } catch (RuntimeException e) {
            throw new CkException(rvOnError, "not a " + set + " public key");
        }
    }

    /** The full private key encoding, and the public key encoding, of parsed private key parameters. */
    static byte[] privateEncoding(AsymmetricKeyParameter k) {
        if (k instanceof MLDSAPrivateKeyParameters p) {
            return p.getEncoded();
        }
        if (k instanceof MLKEMPrivateKeyParameters p) {
            return p.getEncoded();
        }
        return ((SLHDSAPrivateKeyParameters) k).getEncoded();
    }

    static byte[] publicEncoding(AsymmetricKeyParameter k) {
        if (k instanceof MLDSAPrivateKeyParameters p) {
            return p.getPublicKey();
        }
        if (k instanceof MLKEMPrivateKeyParameters p) {
            return p.getPublicKey();
        }
        return ((SLHDSAPrivateKeyParameters) k).getPublicKey();
    }

    static byte[] seed(AsymmetricKeyParameter k) {
        if (k instanceof MLDSAPrivateKeyParameters p) {
            return p.getSeed();
        }
        return k instanceof MLKEMPrivateKeyParameters p ? p.getSeed() : null;
    }

    /**
     * C_CreateObject of a post-quantum key: checks the encodings against the parameter set. A private
     * key given only as CKA_SEED gets its CKA_VALUE computed; one given both must have them agree
     * (otherwise which one signs would be arbitrary). Other keys pass untouched.
     */
    public static void completeImport(Map<Long, Attribute> object) {
        long cls = Ulong.decode(object.get(CKA.CLASS).value());
        Attribute kt = object.get(CKA.KEY_TYPE);
        if (kt == null || (cls != CKO.PUBLIC_KEY && cls != CKO.PRIVATE_KEY)) {
            return;
        }
        long keyType = kt.asLong();
        if (keyType != CKK.ML_DSA && keyType != CKK.ML_KEM && keyType != CKK.SLH_DSA) {
            return;
        }
        PqcParameterSet set = PqcParameterSet.of(keyType, object.get(CKA.PARAMETER_SET).value(), CKR.ATTRIBUTE_VALUE_INVALID);
        if (cls == CKO.PUBLIC_KEY) {
            publicParams(set, object.get(CKA.VALUE).value(), CKR.ATTRIBUTE_VALUE_INVALID);
            return;
        }
        byte[] value = valueOf(object.get(CKA.VALUE));
        byte[] seed = valueOf(object.get(CKA.SEED));
        if (value == null && seed == null) {
            throw new CkException(CKR.TEMPLATE_INCOMPLETE, "a private key needs CKA_VALUE or CKA_SEED");
        }
        if (seed != null && (set.seedBytes == 0 || seed.length != set.seedBytes)) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, set + " has no CKA_SEED of " + seed.length + " bytes");
        }
        if (value != null && value.length != set.privateBytes) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, set + " private key must be " + set.privateBytes + " bytes");
        }
        AsymmetricKeyParameter k = privateParams(set, value != null ? value : seed, CKR.ATTRIBUTE_VALUE_INVALID);
        if (value == null) {
            object.put(CKA.VALUE, Attribute.of(CKA.VALUE, privateEncoding(k)));
        } else if (seed != null && !Arrays.equals(privateEncoding(privateParams(set, seed, CKR.ATTRIBUTE_VALUE_INVALID)), value)) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CKA_SEED and CKA_VALUE are different keys");
        }
    }

    private static byte[] valueOf(Attribute a) {
        return a == null || a.value() == null || a.value().length == 0 ? null : a.value();
    }
}
