package io.jhsm.engine.mechanism.pqc;

import static org.bouncycastle.asn1.nist.NISTObjectIdentifiers.*;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * ML-DSA, ML-KEM and SLH-DSA private keys as PKCS#8 OneAsymmetricKey (RFC 9881 for ML-DSA, the LAMPS
 * ML-KEM draft, RFC 9909 for SLH-DSA): the OID names the parameter set. ML-DSA and ML-KEM keys are
 * written as the {@code expandedKey OCTET STRING} choice, because that is the only one JDK 25's
 * KeyFactory reads (it also refuses {@code seed [0]} and {@code both}), so the seed does not travel.
 * Unwrapping reads every choice — {@code seed [0]}, {@code expandedKey}, {@code both} (whose parts
 * must agree) — and Bouncy Castle 1.80's draft forms (the seed as a nested or a raw OCTET STRING, the
 * raw expanded key); a key that came with its seed gets CKA_SEED. SLH-DSA keys are the raw key.
 */
public final class PqcKeyEncodings {
    private static final Map<ASN1ObjectIdentifier, PqcParameterSet> BY_OID = Map.ofEntries(
            Map.entry(id_ml_dsa_44, PqcParameterSet.ML_DSA_44), Map.entry(id_ml_dsa_65, PqcParameterSet.ML_DSA_65),
            Map.entry(id_ml_dsa_87, PqcParameterSet.ML_DSA_87), Map.entry(id_alg_ml_kem_512, PqcParameterSet.ML_KEM_512),
            Map.entry(id_alg_ml_kem_768, PqcParameterSet.ML_KEM_768), Map.entry(id_alg_ml_kem_1024, PqcParameterSet.ML_KEM_1024),
            Map.entry(id_slh_dsa_sha2_128s, PqcParameterSet.SLH_DSA_SHA2_128S), Map.entry(id_slh_dsa_sha2_128f, PqcParameterSet.SLH_DSA_SHA2_128F),
            Map.entry(id_slh_dsa_sha2_192s, PqcParameterSet.SLH_DSA_SHA2_192S), Map.entry(id_slh_dsa_sha2_192f, PqcParameterSet.SLH_DSA_SHA2_192F),
            Map.entry(id_slh_dsa_sha2_256s, PqcParameterSet.SLH_DSA_SHA2_256S), Map.entry(id_slh_dsa_sha2_256f, PqcParameterSet.SLH_DSA_SHA2_256F),
            Map.entry(id_slh_dsa_shake_128s, PqcParameterSet.SLH_DSA_SHAKE_128S), Map.entry(id_slh_dsa_shake_128f, PqcParameterSet.SLH_DSA_SHAKE_128F),
            Map.entry(id_slh_dsa_shake_192s, PqcParameterSet.SLH_DSA_SHAKE_192S), Map.entry(id_slh_dsa_shake_192f, PqcParameterSet.SLH_DSA_SHAKE_192F),
            Map.entry(id_slh_dsa_shake_256s, PqcParameterSet.SLH_DSA_SHAKE_256S), Map.entry(id_slh_dsa_shake_256f, PqcParameterSet.SLH_DSA_SHAKE_256F));

    private PqcKeyEncodings() {}

    public static boolean isPqc(long keyType) {
        return keyType == CKK.ML_DSA || keyType == CKK.ML_KEM || keyType == CKK.SLH_DSA;
    }

    public static PrivateKeyInfo toPkcs8(KeyView key) throws IOException {
        PqcParameterSet set = PqcParameterSet.of(key, key.keyType());
        AlgorithmIdentifier alg = new AlgorithmIdentifier(oidOf(set));
        byte[] value = key.attribute(CKA.VALUE);
        if (value == null || value.length == 0) {
            value = PqcKeys.privateEncoding(PqcKeys.privateKey(key, set.keyType).params());
        }
        if (value.length != set.privateBytes) {
            throw new CkException(CKR.KEY_NOT_WRAPPABLE, set + " private key of " + value.length + " bytes");
        }
        if (set.keyType == CKK.SLH_DSA) {
            // PrivateKeyInfo's constructors DER-encode the key inside the OCTET STRING; SLH-DSA has no such layer.
            return PrivateKeyInfo.getInstance(new DERSequence(new ASN1Encodable[] {new ASN1Integer(0), alg, new DEROctetString(value)}));
        }
        return new PrivateKeyInfo(alg, new DEROctetString(value));
    }

    private static ASN1ObjectIdentifier oidOf(PqcParameterSet set) {
        for (Map.Entry<ASN1ObjectIdentifier, PqcParameterSet> e : BY_OID.entrySet()) {
            if (e.getValue() == set) {
                return e.getKey();
            }
        }
        throw new CkException(CKR.KEY_NOT_WRAPPABLE, "no OID for " + set);
    }

    /** The attributes of an unwrapped PQC private key, or null when the OID is not one of theirs. */
    public static List<Attribute> fromPkcs8(PrivateKeyInfo info) {
        PqcParameterSet set = BY_OID.get(info.getPrivateKeyAlgorithm().getAlgorithm());
        if (set == null) {
            return null;
        }
        if (info.getPrivateKeyAlgorithm().getParameters() != null) {
            throw new CkException(CKR.WRAPPED_KEY_INVALID, set + " algorithm identifier with parameters");
        }
        byte[] octets = info.getPrivateKey().getOctets();
        byte[] seed = null;
        byte[] expanded = null;
        if (octets.length == set.privateBytes) {
            expanded = octets;
        } else if (set.seedBytes > 0 && octets.length == set.seedBytes) {
            seed = octets;
        } else {
            ASN1Primitive p;
            try {
                p = ASN1Primitive.fromByteArray(octets);
            } catch (IOException | RuntimeException e) {
                throw new CkException(CKR.WRAPPED_KEY_INVALID, "malformed " + set + " private key");
            }
            if (p instanceof ASN1TaggedObject t && t.getTagNo() == 0) {
                seed = ASN1OctetString.getInstance(t, false).getOctets();
            } else if (p instanceof ASN1OctetString o) {
                byte[] b = o.getOctets();
                seed = b.length == set.seedBytes ? b : null;
                expanded = seed == null ? b : null;
            } else if (p instanceof ASN1Sequence both && both.size() == 2) {
                seed = ASN1OctetString.getInstance(both.getObjectAt(0)).getOctets();
                expanded = ASN1OctetString.getInstance(both.getObjectAt(1)).getOctets();
            } else {
                throw new CkException(CKR.WRAPPED_KEY_INVALID, "malformed " + set + " private key");
            }
        }
        return attributes(set, seed, expanded);
    }

    private static List<Attribute> attributes(PqcParameterSet set, byte[] seed, byte[] expanded) {
        if (seed != null && (set.seedBytes == 0 || seed.length != set.seedBytes)
                || expanded != null && expanded.length != set.privateBytes) {
            throw new CkException(CKR.WRAPPED_KEY_INVALID, set + " private key of the wrong length");
        }
        AsymmetricKeyParameter k = PqcKeys.privateParams(set, seed != null ? seed : expanded, CKR.WRAPPED_KEY_INVALID);
        byte[] value = PqcKeys.privateEncoding(k);
        if (expanded != null && !Arrays.equals(value, expanded)) {
            throw new CkException(CKR.WRAPPED_KEY_INVALID, "the seed and the expanded key are different keys");
        }
        List<Attribute> out = new ArrayList<>(List.of(Attribute.of(CKA.KEY_TYPE, set.keyType),
                Attribute.of(CKA.PARAMETER_SET, set.ckp), Attribute.of(CKA.VALUE, value)));
        if (seed != null) {
            out.add(Attribute.of(CKA.SEED, seed));
        }
        return out;
    }
}
