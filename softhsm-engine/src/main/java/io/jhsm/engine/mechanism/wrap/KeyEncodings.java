package io.jhsm.engine.mechanism.wrap;

import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.ec.EcCurves;
import io.jhsm.engine.mechanism.ec.EcKeys;
import io.jhsm.engine.mechanism.edwards.ModernCurves;
import io.jhsm.engine.mechanism.pqc.PqcKeyEncodings;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Private keys as PKCS#8 PrivateKeyInfo, the encoding C_WrapKey wraps and C_UnwrapKey unwraps for
 * private keys (PKCS#11 3.0 §2.1 "Key wrapping"). RSA keys are RSAPrivateKey (RFC 8017), EC keys
 * ECPrivateKey (RFC 5915) with the named curve and the public point (OpenSSL expects it), and
 * Edwards/Montgomery keys the RFC 8410 CurvePrivateKey octet string, and ML-DSA/ML-KEM/SLH-DSA keys
 * as {@link PqcKeyEncodings} writes them.
 */
public final class KeyEncodings {
    private KeyEncodings() {}

    /** The PrivateKeyInfo DER of a private key object; CKR_KEY_NOT_WRAPPABLE for key types or contents we cannot encode. */
    public static byte[] toPkcs8(KeyView key) {
        long type = key.keyType();
        try {
            PrivateKeyInfo info;
            if (type == CKK.RSA) {
                info = new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa(key));
            } else if (type == CKK.EC) {
                EcKeys.Private k = EcKeys.privateKey(key);
                EcCurves.Curve curve = k.curve();
                DERBitString pub = new DERBitString(new FixedPointCombMultiplier().multiply(curve.domain().getG(), k.params().getD()).getEncoded(false));
                ECPrivateKey ec = new ECPrivateKey(curve.orderBits(), k.params().getD(), pub, curve.oid());
                info = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve.oid()), ec);
            } else if (type == CKK.EC_EDWARDS || type == CKK.EC_MONTGOMERY) {
                ModernCurves curve = ModernCurves.fromEcParams(key.require(CKA.EC_PARAMS), type);
                byte[] value = key.require(CKA.VALUE);
                if (value.length != curve.keyBytes) {
                    throw new CkException(CKR.KEY_NOT_WRAPPABLE, curve + " private key of " + value.length + " bytes");
                }
                info = new PrivateKeyInfo(new AlgorithmIdentifier(curve.oid), new DEROctetString(value));
            } else if (PqcKeyEncodings.isPqc(type)) {
                info = PqcKeyEncodings.toPkcs8(key);
            } else {
                throw new CkException(CKR.KEY_NOT_WRAPPABLE, "no PKCS#8 encoding for " + CKK.name(type));
            }
            return info.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new CkException(CKR.GENERAL_ERROR, "PKCS#8 encoding", e);
        }
    }

    private static RSAPrivateKey rsa(KeyView key) {
        long[] parts = {CKA.MODULUS, CKA.PUBLIC_EXPONENT, CKA.PRIVATE_EXPONENT, CKA.PRIME_1, CKA.PRIME_2, CKA.EXPONENT_1, CKA.EXPONENT_2, CKA.COEFFICIENT};
        BigInteger[] v = new BigInteger[parts.length];
        for (int i = 0; i < parts.length; i++) {
            byte[] b = key.attribute(parts[i]);
            if (b == null) {
                // RSAPrivateKey has no form without the CRT components.
                throw new CkException(CKR.KEY_NOT_WRAPPABLE, "RSA key without " + CKA.name(parts[i]));
            }
            v[i] = BigInts.decode(b);
        }
        return new RSAPrivateKey(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    /**
     * The key-type attributes of a PrivateKeyInfo: CKA_KEY_TYPE and the key material. Anything that
     * does not parse as a key we support is CKR_WRAPPED_KEY_INVALID; a well-formed EC key on a curve
     * we lack is CKR_CURVE_NOT_SUPPORTED.
     */
    public static List<Attribute> fromPkcs8(byte[] der) {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(der);
            if (info == null || !java.util.Arrays.equals(info.getEncoded(ASN1Encoding.DER), der)) {
                throw new IllegalArgumentException("not DER, or trailing bytes");
            }
        } catch (IOException | RuntimeException e) {
            throw new CkException(CKR.WRAPPED_KEY_INVALID, "not a PKCS#8 PrivateKeyInfo");
        }
        ASN1ObjectIdentifier alg = info.getPrivateKeyAlgorithm().getAlgorithm();
        List<Attribute> pqc = PqcKeyEncodings.fromPkcs8(info);
        if (pqc != null) {
            return pqc;
        }
        try {
            if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                RSAPrivateKey k = RSAPrivateKey.getInstance(info.parsePrivateKey());
                return List.of(Attribute.of(CKA.KEY_TYPE, CKK.RSA), big(CKA.MODULUS, k.getModulus()), big(CKA.PUBLIC_EXPONENT, k.getPublicExponent()),
                        big(CKA.PRIVATE_EXPONENT, k.getPrivateExponent()), big(CKA.PRIME_1, k.getPrime1()), big(CKA.PRIME_2, k.getPrime2()),
                        big(CKA.EXPONENT_1, k.getExponent1()), big(CKA.EXPONENT_2, k.getExponent2()), big(CKA.COEFFICIENT, k.getCoefficient()));
            }
            if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                byte[] ecParams = info.getPrivateKeyAlgorithm().getParameters().toASN1Primitive().getEncoded(ASN1Encoding.DER);
                EcCurves.Curve curve = EcCurves.fromEcParams(ecParams);
                BigInteger d = ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
                if (d.signum() <= 0 || d.compareTo(curve.domain().getN()) >= 0) {
                    throw new CkException(CKR.WRAPPED_KEY_INVALID, "EC private value out of range");
                }
                return List.of(Attribute.of(CKA.KEY_TYPE, CKK.EC), Attribute.of(CKA.EC_PARAMS, curve.encodedOid()), Attribute.of(CKA.VALUE, BigInts.encode(d)));
            }
            ModernCurves curve = ModernCurves.byOid(alg);
            if (curve != null) {
                byte[] value = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
                if (value.length != curve.keyBytes) {
                    throw new CkException(CKR.WRAPPED_KEY_INVALID, curve + " private key of " + value.length + " bytes");
                }
                return List.of(Attribute.of(CKA.KEY_TYPE, curve.keyType), Attribute.of(CKA.EC_PARAMS, curve.encodedOid()), Attribute.of(CKA.VALUE, value));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CkException ck && ck.rv() == CKR.CURVE_NOT_SUPPORTED) {
                throw ck;
            }
            throw new CkException(CKR.WRAPPED_KEY_INVALID, "malformed " + alg.getId() + " private key");
        }
        throw new CkException(CKR.WRAPPED_KEY_INVALID, "unsupported key algorithm " + alg.getId());
    }

    private static Attribute big(long type, BigInteger v) {
        return Attribute.of(type, BigInts.encode(v));
    }
}
