package io.jhsm.engine.mechanism.ec;

import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.CryptoBackend;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/** A fresh EC key pair's private scalar d and public point Q: AWS-LC's generator through ACCP, else BC's. */
final class EcKeyPairs {

    private EcKeyPairs() {}

    record Generated(BigInteger d, ECPoint q) {}

    /** The one place the backend is chosen for EC key generation. */
    static Generated generate(EcCurves.Curve curve) {
        return CryptoBackend.accp().map(p -> accp(p, curve)).orElseGet(() -> portable(curve));
    }

    static Generated portable(EcCurves.Curve curve) {
        ECKeyPairGenerator gen = new ECKeyPairGenerator();
        gen.init(new ECKeyGenerationParameters(curve.domain(), LazyRandom.get()));
        AsymmetricCipherKeyPair kp = gen.generateKeyPair();
        return new Generated(((ECPrivateKeyParameters) kp.getPrivate()).getD(), ((ECPublicKeyParameters) kp.getPublic()).getQ());
    }

    /** AWS-LC draws d from its own DRBG; the values leave ACCP's key objects once, into the new key objects. */
    static Generated accp(Provider accp, EcCurves.Curve curve) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC", accp);
            gen.initialize(AccpEcKeys.spec(curve));
            KeyPair kp = gen.generateKeyPair();
            java.security.spec.ECPoint w = ((ECPublicKey) kp.getPublic()).getW();
            ECPoint q = curve.domain().getCurve().createPoint(w.getAffineX(), w.getAffineY());
            return new Generated(((ECPrivateKey) kp.getPrivate()).getS(), q);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CkException(CKR.GENERAL_ERROR, "ACCP's EC key generation failed on " + curve.names().get(0) + " (" + e
                    + "); run with JHSM_CRYPTO=portable and report it", e);
        }
    }
}
