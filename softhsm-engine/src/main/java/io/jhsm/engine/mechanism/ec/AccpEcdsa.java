package io.jhsm.engine.mechanism.ec;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;

/**
 * ECDSA on AWS-LC through ACCP's NONEwithECDSA over the already computed hash (ACCP truncates input longer than
 * the order exactly as FIPS 186-4 §6.4 and BC do; EcdsaSignaturesTest checks it against BC). Measured 2-3x BC's
 * signing rate on P-256 (docs/performance/primitives.md). Its DER signatures are converted to and from r || s.
 */
final class AccpEcdsa implements EcdsaEngine {
    private final Provider accp;
    private final EcCurves.Curve curve;
    private final Key key;
    private final Signature signature;

    private AccpEcdsa(Provider accp, EcCurves.Curve curve, Key key) {
        this.accp = accp;
        this.curve = curve;
        this.key = key;
        try {
            signature = Signature.getInstance("NONEwithECDSA", accp);
            if (key instanceof PrivateKey priv) {
                signature.initSign(priv);
            } else {
                signature.initVerify((PublicKey) key);
            }
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, "ACCP's NONEwithECDSA refused an EC key (" + e + "); run with JHSM_CRYPTO=portable and report it", e);
        }
    }

    static AccpEcdsa signer(Provider accp, KeyView key, EcKeys.Private k) {
        return new AccpEcdsa(accp, k.curve(), AccpEcKeys.privateKey(accp, key, k));
    }

    static AccpEcdsa verifier(Provider accp, KeyView key, EcKeys.Public k) {
        return new AccpEcdsa(accp, k.curve(), AccpEcKeys.publicKey(accp, key, k));
    }

    @Override
    public byte[] sign(byte[] hash) {
        try {
            signature.update(hash);
            byte[] rs = EcdsaDer.toRs(signature.sign(), curve.orderBytes());
            if (rs == null) {
                throw new SignatureException("not a DER ECDSA signature");
            }
            return rs;
        } catch (SignatureException e) {
            throw new CkException(CKR.GENERAL_ERROR, "ACCP's ECDSA signing failed (" + e + "); run with JHSM_CRYPTO=portable and report it", e);
        }
    }

    /**
     * r and s outside [1, n-1] are refused here, as BC does, so no odd encoding reaches AWS-LC; AWS-LC answers
     * any other bad signature with a SignatureException (BAD_SIGNATURE), which is a plain "does not verify".
     */
    @Override
    public boolean verify(byte[] hash, byte[] rs) {
        int n = curve.orderBytes();
        BigInteger order = curve.domain().getN();
        for (int off = 0; off < 2 * n; off += n) {
            BigInteger v = new BigInteger(1, Arrays.copyOfRange(rs, off, off + n));
            if (v.signum() == 0 || v.compareTo(order) >= 0) {
                return false;
            }
        }
        try {
            signature.update(hash);
            return signature.verify(EcdsaDer.fromRs(rs));
        } catch (SignatureException e) {
            return false;
        }
    }

    @Override
    public AccpEcdsa copy() {
        return new AccpEcdsa(accp, curve, key);
    }
}
