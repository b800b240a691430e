package io.jhsm.engine.mechanism.ec;

import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.CryptoBackend;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.KeyAgreement;
import org.bouncycastle.crypto.BasicAgreement;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.agreement.ECDHCBasicAgreement;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The ECDH shared secret Z on a Weierstrass curve: the x-coordinate of d·Q as a field element, fixed length,
 * leading zeros kept (SEC 1 §3.3.1). AWS-LC through ACCP, else BC. The peer point was decoded and validated
 * by {@link EcKeys#decodePoint} either way, so both backends refuse the same points with the same CK_RV.
 */
final class EcdhAgreement {
    private EcdhAgreement() {}

    /** The one place the backend is chosen for ECDH. */
    static byte[] agree(KeyView baseKey, EcKeys.Private k, ECPoint peer, boolean cofactor) {
        return CryptoBackend.accp().map(p -> accp(p, baseKey, k, peer)).orElseGet(() -> portable(k, peer, cofactor));
    }

    static byte[] portable(EcKeys.Private k, ECPoint peer, boolean cofactor) {
        BasicAgreement agreement = cofactor ? new ECDHCBasicAgreement() : new ECDHBasicAgreement();
        agreement.init(k.params());
        BigInteger z;
        try {
            z = agreement.calculateAgreement(new ECPublicKeyParameters(peer, k.curve().domain()));
        } catch (IllegalStateException e) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "ECDH produced the point at infinity");
        }
        return BigInts.encode(z, agreement.getFieldSize());
    }

    /**
     * Every supported curve has cofactor 1 (EcCurves), so the cofactor variant is the plain one: h·d = d.
     * On a prime-order curve a valid peer point times d in [1, n-1] is never the point at infinity.
     */
    static byte[] accp(Provider accp, KeyView baseKey, EcKeys.Private k, ECPoint peer) {
        try {
            KeyAgreement ka = KeyAgreement.getInstance("ECDH", accp);
            ka.init(AccpEcKeys.privateKey(accp, baseKey, k));
            ka.doPhase(AccpEcKeys.publicKey(accp, k.curve(), peer), true);
            return ka.generateSecret();
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new CkException(CKR.GENERAL_ERROR, "ACCP's ECDH failed on " + k.curve().names().get(0) + " (" + e
                    + "); run with JHSM_CRYPTO=portable and report it", e);
        }
    }
}
