package io.jhsm.engine.mechanism.ec;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bouncycastle.crypto.params.ECDomainParameters;

/**
 * EC keys as ACCP key objects (AWS-LC EVP_PKEYs), translated once per key object through
 * {@link KeyView#cached} — a KeyFactory per operation costs as much as the signature (docs/performance) —
 * from the BC keys {@link EcKeys} has already parsed and validated. They live as long as the object, as the
 * parsed BC keys do.
 */
final class AccpEcKeys {
    private AccpEcKeys() {}

    record Private(PrivateKey key) {}

    record Public(PublicKey key) {}

    /** The JCA form of each supported curve; ACCP recognises the named curve from its parameters. */
    private static final Map<EcCurves.Curve, ECParameterSpec> SPECS = new IdentityHashMap<>();

    static {
        for (EcCurves.Curve c : EcCurves.ALL) {
            SPECS.put(c, spec(c.domain()));
        }
    }

    static ECParameterSpec spec(EcCurves.Curve curve) {
        return SPECS.get(curve);
    }

    static PrivateKey privateKey(Provider accp, KeyView key, EcKeys.Private k) {
        return key.cached(Private.class, () -> new Private(translate(accp, () ->
                factory(accp).generatePrivate(new ECPrivateKeySpec(k.params().getD(), spec(k.curve())))))).key();
    }

    static PublicKey publicKey(Provider accp, KeyView key, EcKeys.Public k) {
        return key.cached(Public.class, () -> new Public(publicKey(accp, k.curve(), k.params().getQ()))).key();
    }

    /** A peer's or a key object's validated point as an ACCP public key. */
    static PublicKey publicKey(Provider accp, EcCurves.Curve curve, org.bouncycastle.math.ec.ECPoint q) {
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return translate(accp, () -> factory(accp).generatePublic(new ECPublicKeySpec(w, spec(curve))));
    }

    private static KeyFactory factory(Provider accp) throws GeneralSecurityException {
        return KeyFactory.getInstance("EC", accp);
    }

    private interface Translation<T> {
        T run() throws GeneralSecurityException;
    }

    /** EcKeys validated the key already, so a refusal here is ACCP's problem, reported as such. */
    private static <T> T translate(Provider accp, Translation<T> t) {
        try {
            return t.run();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CkException(CKR.GENERAL_ERROR, "ACCP refused a validated EC key (" + e
                    + "); run with JHSM_CRYPTO=portable and report it", e);
        }
    }

    private static ECParameterSpec spec(ECDomainParameters d) {
        org.bouncycastle.math.ec.ECCurve c = d.getCurve();
        EllipticCurve curve = new EllipticCurve(new ECFieldFp(c.getField().getCharacteristic()), c.getA().toBigInteger(), c.getB().toBigInteger());
        org.bouncycastle.math.ec.ECPoint g = d.getG().normalize();
        return new ECParameterSpec(curve, new ECPoint(g.getAffineXCoord().toBigInteger(), g.getAffineYCoord().toBigInteger()), d.getN(), d.getH().intValueExact());
    }
}
