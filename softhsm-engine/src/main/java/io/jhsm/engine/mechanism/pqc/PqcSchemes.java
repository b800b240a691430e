package io.jhsm.engine.mechanism.pqc;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.CKK;
import java.security.SecureRandom;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSASigner;

/**
 * The internal sign and verify functions of ML-DSA (FIPS 204 Algorithms 7, 8) and SLH-DSA (FIPS 205
 * Algorithms 19, 20) over BC, which exposes them to subclasses only. Deterministic ML-DSA signs with
 * rnd = 0^256; deterministic SLH-DSA with opt_rand = PK.seed, as the standards define; hedged
 * signatures replace those with fresh random bytes of the same length.
 */
final class PqcSchemes {
    private PqcSchemes() {}

    static PqcSigner.Scheme forSigning(KeyView key, long keyType) {
        PqcKeys.Private k = PqcKeys.privateKey(key, keyType);
        byte[] deterministic = keyType == CKK.ML_DSA ? new byte[32] : ((SLHDSAPrivateKeyParameters) k.params()).getPublicSeed();
        return of(keyType, true, k.params(), k.set().outputBytes, deterministic);
    }

    static PqcSigner.Scheme forVerifying(KeyView key, long keyType) {
        PqcKeys.Public k = PqcKeys.publicKey(key, keyType);
        return of(keyType, false, k.params(), k.set().outputBytes, null);
    }

    private static PqcSigner.Scheme of(long keyType, boolean forSigning, CipherParameters key, int signatureBytes, byte[] deterministic) {
        if (keyType == CKK.ML_DSA) {
            MlDsa s = new MlDsa();
            s.init(forSigning, key);
            return new Internal(signatureBytes, deterministic, s::sign, s::verify);
        }
        SlhDsa s = new SlhDsa();
        s.init(forSigning, key);
        return new Internal(signatureBytes, deterministic, s::sign, s::verify);
    }

    private record Internal(int signatureBytes, byte[] deterministic, BiFunction<byte[], byte[], byte[]> signer,
                            BiPredicate<byte[], byte[]> verifier) implements PqcSigner.Scheme {
        @Override
        public byte[] sign(byte[] messagePrime, boolean hedged, SecureRandom random) {
            byte[] rnd = deterministic.clone();
            if (hedged) {
                random.nextBytes(rnd);
            }
            return signer.apply(messagePrime, rnd);
        }

        @Override
        public boolean verify(byte[] messagePrime, byte[] signature) {
            return verifier.test(messagePrime, signature);
        }
    }

    private static final class MlDsa extends MLDSASigner {
        byte[] sign(byte[] messagePrime, byte[] rnd) {
            return internalGenerateSignature(messagePrime, rnd);
        }

        boolean verify(byte[] messagePrime, byte[] signature) {
            return internalVerifySignature(messagePrime, signature);
        }
    }

    private static final class SlhDsa extends SLHDSASigner {
        byte[] sign(byte[] messagePrime, byte[] optRand) {
            return internalGenerateSignature(messagePrime, optRand);
        }

        boolean verify(byte[] messagePrime, byte[] signature) {
            return internalVerifySignature(messagePrime, signature);
        }
    }
}
