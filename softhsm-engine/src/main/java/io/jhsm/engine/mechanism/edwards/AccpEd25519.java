package io.jhsm.engine.mechanism.edwards;

import io.jhsm.engine.mechanism.CryptoBackend;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.function.UnaryOperator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Pure Ed25519 signing on AWS-LC through ACCP, measured 1.8× BC's (docs/performance/primitives.md). Signing only:
 * Ed25519 signatures are deterministic, so ACCP's equal BC's byte for byte (AccpEd25519Test), while verification
 * libraries differ on edge cases (non-canonical encodings, small-order points) and stays on BC, keeping its CK_RVs.
 * ACCP 2.5 has no EdDSA KeyFactory: the key object holds a JDK key (SunEC), cached per object, which ACCP
 * translates at each init (the measured rate includes it).
 */
final class AccpEd25519 {
    private AccpEd25519() {}

    record JdkKey(PrivateKey key) {}

    /** The message → signature function for a plain Ed25519 signing key on ACCP, or null for the BC path. */
    static UnaryOperator<byte[]> signer(KeyView key, ModernKeys.Private k) {
        if (!(k.params() instanceof Ed25519PrivateKeyParameters seed)) {
            return null;
        }
        return CryptoBackend.accp().<UnaryOperator<byte[]>>map(p -> signer(p, jdkKey(key, seed))).orElse(null);
    }

    static UnaryOperator<byte[]> signer(Provider accp, PrivateKey key) {
        return message -> {
            try {
                Signature s = Signature.getInstance("Ed25519", accp);
                s.initSign(key);
                s.update(message);
                return s.sign();
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new CkException(CKR.GENERAL_ERROR, "ACCP's Ed25519 signing failed (" + e + "); run with JHSM_CRYPTO=portable and report it", e);
            }
        };
    }

    static PrivateKey jdkKey(KeyView key, Ed25519PrivateKeyParameters seed) {
        return key.cached(JdkKey.class, () -> {
            try {
                return new JdkKey(KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.getEncoded())));
            } catch (GeneralSecurityException e) {
                throw new CkException(CKR.GENERAL_ERROR, "the JDK refused an Ed25519 key for ACCP (" + e + "); run with JHSM_CRYPTO=portable", e);
            }
        }).key();
    }
}
