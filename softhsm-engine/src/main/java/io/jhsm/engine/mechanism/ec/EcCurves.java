package io.jhsm.engine.mechanism.ec;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.io.IOException;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

/**
 * The curves we support: the NIST prime curves CloudHSM offers, and secp256k1. BC's "custom" curve classes are
 * used because their specialised field arithmetic is what makes BC ECDSA fast (see MechanismBench).
 */
public final class EcCurves {
    private EcCurves() {}

    /** A supported curve: its OID, the names a CKA_EC_PARAMS PrintableString may use, and BC's domain. */
    public record Curve(ASN1ObjectIdentifier oid, List<String> names, ECDomainParameters domain, int orderBytes) {
        public int orderBits() {
            return domain.getN().bitLength();
        }

        /** The DER OID, the canonical CKA_EC_PARAMS value. */
        public byte[] encodedOid() {
            try {
                return oid.getEncoded();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static final Curve P256 = curve(SECObjectIdentifiers.secp256r1, "P-256", "secp256r1", "prime256v1");
    public static final Curve P384 = curve(SECObjectIdentifiers.secp384r1, "P-384", "secp384r1");
    static final Curve P521 = curve(SECObjectIdentifiers.secp521r1, "P-521", "secp521r1");
    /** secp256k1 (SEC 2), the Koblitz curve of Bitcoin and Ethereum keys. */
    static final Curve K256 = curve(SECObjectIdentifiers.secp256k1, "secp256k1");
    public static final List<Curve> ALL = List.of(P256, P384, P521, K256);

    static final int MIN_BITS = 256;
    static final int MAX_BITS = 521;

    private static Curve curve(ASN1ObjectIdentifier oid, String... names) {
        X9ECParameters x9 = CustomNamedCurves.getByOID(oid);
        ECDomainParameters domain = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
        return new Curve(oid, List.of(names), domain, (x9.getN().bitLength() + 7) / 8);
    }

    /**
     * Parses CKA_EC_PARAMS: a DER OID (what PKCS#11 expects) or a DER PrintableString curve name
     * (PKCS#11 3.0 allows it). Explicit parameters we do not match, so they are unsupported curves.
     */
    public static Curve fromEcParams(byte[] ecParams) {
        ASN1Primitive p;
        try {
            p = ASN1Primitive.fromByteArray(ecParams);
        } catch (IOException | RuntimeException e) {
            throw new CkException(CKR.DOMAIN_PARAMS_INVALID, "CKA_EC_PARAMS is not DER");
        }
        if (p instanceof ASN1ObjectIdentifier oid) {
            for (Curve c : ALL) {
                if (c.oid.equals(oid)) {
                    return c;
                }
            }
            throw new CkException(CKR.CURVE_NOT_SUPPORTED, "curve " + oid.getId());
        }
        if (p instanceof ASN1PrintableString name) {
            for (Curve c : ALL) {
                if (c.names.stream().anyMatch(n -> n.equalsIgnoreCase(name.getString()))) {
                    return c;
                }
            }
            throw new CkException(CKR.CURVE_NOT_SUPPORTED, "curve " + name.getString());
        }
        throw new CkException(CKR.CURVE_NOT_SUPPORTED, "only named curves are supported");
    }
}
