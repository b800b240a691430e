package io.jhsm.engine.mechanism.ec;

import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.KeyChecks;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/** EC keys from key objects, parsed and validated once per object (point decoding is not cheap). */
public final class EcKeys {
    private EcKeys() {}

    public record Private(EcCurves.Curve curve, ECPrivateKeyParameters params) {}

    record Public(EcCurves.Curve curve, ECPublicKeyParameters params) {}

    public static Private privateKey(KeyView key) {
        KeyChecks.requireKeyType(key, CKK.EC);
        return key.cached(Private.class, () -> {
            EcCurves.Curve curve = EcCurves.fromEcParams(key.require(CKA.EC_PARAMS));
            BigInteger d = BigInts.decode(key.require(CKA.VALUE));
            if (d.signum() <= 0 || d.compareTo(curve.domain().getN()) >= 0) {
                throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "EC private value out of range");
            }
            return new Private(curve, new ECPrivateKeyParameters(d, curve.domain()));
        });
    }

    /** A public key object; a private key can verify too only if it carries CKA_EC_POINT, which ours do not need. */
    static Public publicKey(KeyView key) {
        KeyChecks.requireKeyType(key, CKK.EC);
        if (key.attribute(CKA.CLASS) != null && key.objectClass() != CKO.PUBLIC_KEY) {
            throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "verification needs the public key");
        }
        return key.cached(Public.class, () -> {
            EcCurves.Curve curve = EcCurves.fromEcParams(key.require(CKA.EC_PARAMS));
            ECPoint q = decodePoint(curve, key.require(CKA.EC_POINT));
            return new Public(curve, new ECPublicKeyParameters(q, curve.domain()));
        });
    }

    /**
     * CKA_EC_POINT is a DER OCTET STRING holding the X9.62 point; some tools store the raw point.
     * Both start with 0x04, so the length decides: a raw uncompressed point is exactly 1 + 2 × field
     * bytes long, which a DER wrapping of one never is.
     */
    static ECPoint decodePoint(EcCurves.Curve curve, byte[] ecPoint) {
        int fieldBytes = (curve.domain().getCurve().getFieldSize() + 7) / 8;
        byte[] raw = ecPoint;
        if (ecPoint.length != 1 + 2 * fieldBytes) {
            try {
                raw = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(ecPoint)).getOctets();
            } catch (Exception e) {
                throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CKA_EC_POINT is neither a DER OCTET STRING nor a raw point");
            }
        }
        try {
            ECPoint q = curve.domain().getCurve().decodePoint(raw).normalize();
            if (q.isInfinity() || !q.isValid()) {
                throw new IllegalArgumentException("not a valid point");
            }
            return q;
        } catch (RuntimeException e) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CKA_EC_POINT is not a point on " + curve.names().get(0));
        }
    }

    static byte[] encodePoint(ECPoint q) {
        try {
            return new DEROctetString(q.getEncoded(false)).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
