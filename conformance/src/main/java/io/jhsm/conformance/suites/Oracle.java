package io.jhsm.conformance.suites;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.Cryptoki;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Bouncy Castle as the independent implementation: public keys moved between it and the module,
 * and the signature encodings PKCS#11 uses (raw r||s) translated to the DER that JCA expects.
 */
public final class Oracle {
    private Oracle() {}

    public static final Provider BC = new BouncyCastleProvider();

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    public static RSAPublicKey rsaPublic(Cryptoki p, long s, long handle) throws GeneralSecurityException {
        BigInteger n = new BigInteger(1, Keys.value(p, s, handle, CKA.MODULUS));
        BigInteger e = new BigInteger(1, Keys.value(p, s, handle, CKA.PUBLIC_EXPONENT));
        return (RSAPublicKey) KeyFactory.getInstance("RSA", BC).generatePublic(new RSAPublicKeySpec(n, e));
    }

    public static ECPublicKey ecPublic(Cryptoki p, long s, long handle, String curve) throws GeneralSecurityException {
        byte[] point = Keys.value(p, s, handle, CKA.EC_POINT);
        ECParameterSpec spec = curveSpec(curve);
        int field = (spec.getCurve().getField().getFieldSize() + 7) / 8;
        if (point.length != 1 + 2 * field) {
            point = ASN1OctetString.getInstance(point).getOctets(); // DER OCTET STRING, as the spec says
        }
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + field)),
                new BigInteger(1, Arrays.copyOfRange(point, 1 + field, 1 + 2 * field)));
        return (ECPublicKey) KeyFactory.getInstance("EC", BC).generatePublic(new ECPublicKeySpec(w, spec));
    }

    static ECParameterSpec curveSpec(String curve) throws GeneralSecurityException {
        AlgorithmParameters ap = AlgorithmParameters.getInstance("EC", BC);
        ap.init(new ECGenParameterSpec(curve));
        return ap.getParameterSpec(ECParameterSpec.class);
    }

    /** A Bouncy Castle public key as a module session object that can verify. */
    public static long importPublic(Cryptoki p, long s, PublicKey key, byte[] ecParams) {
        if (key instanceof RSAPublicKey r) {
            return p.C_CreateObject(s, Keys.list(Attribute.of(CKA.CLASS, CKO.PUBLIC_KEY), Attribute.of(CKA.KEY_TYPE, CKK.RSA),
                    Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.VERIFY, true),
                    Attribute.of(CKA.MODULUS, unsigned(r.getModulus())), Attribute.of(CKA.PUBLIC_EXPONENT, unsigned(r.getPublicExponent()))));
        }
        ECPublicKey e = (ECPublicKey) key;
        int field = (e.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        byte[] point = new byte[1 + 2 * field];
        point[0] = 4;
        fit(unsigned(e.getW().getAffineX()), point, 1, field);
        fit(unsigned(e.getW().getAffineY()), point, 1 + field, field);
        return p.C_CreateObject(s, Keys.list(Attribute.of(CKA.CLASS, CKO.PUBLIC_KEY), Attribute.of(CKA.KEY_TYPE, CKK.EC),
                Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.VERIFY, true), Attribute.of(CKA.EC_PARAMS, ecParams),
                Attribute.of(CKA.EC_POINT, der(point))));
    }

    private static byte[] der(byte[] octets) {
        try {
            return new DEROctetString(octets).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static void fit(byte[] v, byte[] out, int at, int width) {
        System.arraycopy(v, 0, out, at + width - v.length, v.length);
    }

    /** PKCS#11 ECDSA signatures are r||s, each the size of the group order; JCA wants a DER SEQUENCE. */
    public static byte[] rawToDer(byte[] raw) {
        int half = raw.length / 2;
        try {
            return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, half))),
                    new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length)))}).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] derToRaw(byte[] der, int half) {
        ASN1Sequence seq = ASN1Sequence.getInstance(der);
        byte[] out = new byte[2 * half];
        fit(unsigned(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue()), out, 0, half);
        fit(unsigned(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue()), out, half, half);
        return out;
    }
}
