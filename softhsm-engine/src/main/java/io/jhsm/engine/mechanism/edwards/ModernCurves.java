package io.jhsm.engine.mechanism.edwards;

import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.io.IOException;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;

/**
 * The RFC 7748 / RFC 8032 curves: Edwards curves sign (CKK_EC_EDWARDS), Montgomery curves agree
 * (CKK_EC_MONTGOMERY). Their keys are plain octet strings, not field elements, so they do not fit
 * EcCurves. CKA_EC_PARAMS names one by RFC 8410 OID or, as PKCS#11 3.0 first specified, by a DER
 * PrintableString curve name; we write the OID, which OpenSSL and later PKCS#11 versions use.
 */
public enum ModernCurves {
    ED25519(CKK.EC_EDWARDS, EdECObjectIdentifiers.id_Ed25519, 32, 64, "edwards25519", "Ed25519"),
    ED448(CKK.EC_EDWARDS, EdECObjectIdentifiers.id_Ed448, 57, 114, "edwards448", "Ed448"),
    X25519(CKK.EC_MONTGOMERY, EdECObjectIdentifiers.id_X25519, 32, 0, "curve25519", "X25519"),
    X448(CKK.EC_MONTGOMERY, EdECObjectIdentifiers.id_X448, 56, 0, "curve448", "X448");

    /** Field sizes in bits, which CK_MECHANISM_INFO reports for these key types. */
    public static final int MIN_BITS = 255;
    static final int MAX_BITS = 448;

    public final long keyType;
    public final ASN1ObjectIdentifier oid;
    /** Length of the private and of the public key, which are equal on these curves. */
    public final int keyBytes;
    final int signatureBytes;
    final List<String> names;

    ModernCurves(long keyType, ASN1ObjectIdentifier oid, int keyBytes, int signatureBytes, String... names) {
        this.keyType = keyType;
        this.oid = oid;
        this.keyBytes = keyBytes;
        this.signatureBytes = signatureBytes;
        this.names = List.of(names);
    }

    public byte[] encodedOid() {
        try {
            return oid.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ModernCurves byOid(ASN1ObjectIdentifier oid) {
        for (ModernCurves c : values()) {
            if (c.oid.equals(oid)) {
                return c;
            }
        }
        return null;
    }

    /** The curve CKA_EC_PARAMS names, which must be of the given key type (CKK_EC_EDWARDS or CKK_EC_MONTGOMERY). */
    public static ModernCurves fromEcParams(byte[] ecParams, long keyType) {
        ASN1Primitive p;
        try {
            p = ASN1Primitive.fromByteArray(ecParams);
        } catch (IOException | RuntimeException e) {
            throw new CkException(CKR.DOMAIN_PARAMS_INVALID, "CKA_EC_PARAMS is not DER");
        }
        ModernCurves found = null;
        if (p instanceof ASN1ObjectIdentifier oid) {
            found = byOid(oid);
        } else if (p instanceof ASN1PrintableString name) {
            for (ModernCurves c : values()) {
                if (c.names.stream().anyMatch(n -> n.equalsIgnoreCase(name.getString()))) {
                    found = c;
                }
            }
        }
        if (found == null || found.keyType != keyType) {
            throw new CkException(CKR.CURVE_NOT_SUPPORTED, "CKA_EC_PARAMS names no " + CKK.name(keyType) + " curve we support");
        }
        return found;
    }
}
