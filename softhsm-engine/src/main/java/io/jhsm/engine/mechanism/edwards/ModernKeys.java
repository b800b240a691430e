package io.jhsm.engine.mechanism.edwards;

import io.jhsm.engine.mechanism.KeyChecks;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.params.X448PrivateKeyParameters;
import org.bouncycastle.crypto.params.X448PublicKeyParameters;

/**
 * Edwards and Montgomery keys from key objects, parsed once per object. Private CKA_VALUE is the
 * RFC 8032/7748 private key octets; public CKA_EC_POINT is the public key octets, which we write
 * DER-wrapped in an OCTET STRING (as for EC keys, and as OpenSC and SoftHSM do) and also accept raw.
 */
public final class ModernKeys {
    private ModernKeys() {}

    public record Private(ModernCurves curve, AsymmetricKeyParameter params) {}

    record Public(ModernCurves curve, AsymmetricKeyParameter params) {}

    public static Private privateKey(KeyView key, long keyType) {
        KeyChecks.requireKeyType(key, keyType);
        return key.cached(Private.class, () -> {
            ModernCurves curve = ModernCurves.fromEcParams(key.require(CKA.EC_PARAMS), keyType);
            byte[] v = key.require(CKA.VALUE);
            if (v.length != curve.keyBytes) {
                throw new CkException(CKR.KEY_TYPE_INCONSISTENT, curve + " private key must be " + curve.keyBytes + " bytes");
            }
            AsymmetricKeyParameter p = switch (curve) {
                case ED25519 -> new Ed25519PrivateKeyParameters(v, 0);
                case ED448 -> new Ed448PrivateKeyParameters(v, 0);
                case X25519 -> new X25519PrivateKeyParameters(v, 0);
                case X448 -> new X448PrivateKeyParameters(v, 0);
            };
            return new Private(curve, p);
        });
    }

    static Public publicKey(KeyView key, long keyType) {
        KeyChecks.requireKeyType(key, keyType);
        if (key.attribute(CKA.CLASS) != null && key.objectClass() != CKO.PUBLIC_KEY) {
            throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "verification needs the public key");
        }
        return key.cached(Public.class, () -> {
            ModernCurves curve = ModernCurves.fromEcParams(key.require(CKA.EC_PARAMS), keyType);
            byte[] q = publicOctets(curve, key.require(CKA.EC_POINT), CKR.ATTRIBUTE_VALUE_INVALID);
            return new Public(curve, publicParams(curve, q));
        });
    }

    public static AsymmetricKeyParameter publicParams(ModernCurves curve, byte[] q) {
        try {
            return switch (curve) {
                case ED25519 -> new Ed25519PublicKeyParameters(q, 0);
                case ED448 -> new Ed448PublicKeyParameters(q, 0);
                case X25519 -> new X25519PublicKeyParameters(q, 0);
                case X448 -> new X448PublicKeyParameters(q, 0);
            };
        } catch (RuntimeException e) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "not a " + curve + " public key");
        }
    }

    /** The raw public key from CKA_EC_POINT or ECDH public data: raw octets, or a DER OCTET STRING of them. */
    public static byte[] publicOctets(ModernCurves curve, byte[] encoded, long rvOnError) {
        if (encoded.length == curve.keyBytes) {
            return encoded;
        }
        try {
            byte[] raw = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(encoded)).getOctets();
            if (raw.length == curve.keyBytes) {
                return raw;
            }
        } catch (Exception e) {
            // falls through to the error below
        }
        throw new CkException(rvOnError, curve + " public key must be " + curve.keyBytes + " bytes, raw or as a DER OCTET STRING");
    }

    static byte[] encodePublic(byte[] raw) {
        try {
            return new DEROctetString(raw).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
