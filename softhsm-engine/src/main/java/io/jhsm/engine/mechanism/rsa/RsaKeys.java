package io.jhsm.engine.mechanism.rsa;

import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.CryptoBackend;
import io.jhsm.engine.mechanism.KeyChecks;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import java.math.BigInteger;
import java.security.Provider;
import java.util.Optional;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

/**
 * RSA keys from key objects, parsed once per object. Private keys with all CRT components become
 * RSAPrivateCrtKeyParameters (CRT is ~3x faster, and with CKA_PUBLIC_EXPONENT BC also blinds);
 * without them a plain modulus/exponent key still works. When ACCP runs, the same key also becomes an
 * ACCP key object once (see {@link AccpRsaEngine}), kept in the same cache entry so it lives exactly as long.
 */
final class RsaKeys {
    private RsaKeys() {}

    static final int MIN_BITS = 2048;
    static final int MAX_BITS = 8192;
    /** The smallest modulus accepted for verification (legacy signatures), and for everything with legacy-algorithms = true. */
    static final int MIN_VERIFY_BITS = 1024;
    static final int LEGACY_MIN_BITS = MIN_VERIFY_BITS;

    /**
     * Cache slots; one object is either public or private, but keep the kinds apart anyway. {@code accp} is
     * the key as ACCP's own object, or null when the portable engine runs (no ACCP, or a key it cannot take).
     */
    record Private(RSAKeyParameters params, int modulusBytes, AccpRsaEngine.AccpKey accp) implements Parsed {}

    record Public(RSAKeyParameters params, int modulusBytes, AccpRsaEngine.AccpKey accp) implements Parsed {}

    /** What an operation needs of a parsed key. */
    interface Parsed {
        RSAKeyParameters params();

        int modulusBytes();

        AccpRsaEngine.AccpKey accp();

        /**
         * A fresh raw RSA engine for one operation, under BC's PKCS#1, OAEP and PSS encodings: the one place the
         * RSA family picks its backend, AWS-LC's arithmetic when the key has an ACCP form.
         */
        default AsymmetricBlockCipher engine() {
            return accp() == null ? new RSABlindedEngine() : new AccpRsaEngine(accp(), params().getModulus());
        }
    }

    /** A private key of minBits..8192 bits (the row's minimum: 2048, or 1024 on a legacy token). */
    static Private privateKey(KeyView key, int minBits) {
        return privateKey(key, minBits, CryptoBackend.accp());
    }

    /** As above with the backend named, for tests that run ACCP and the portable engine side by side. */
    static Private privateKey(KeyView key, int minBits, Optional<Provider> accp) {
        KeyChecks.requireKeyType(key, CKK.RSA);
        Private p = key.cached(Private.class, () -> {
            BigInteger n = modulus(key, MIN_VERIFY_BITS);
            BigInteger d = BigInts.decode(key.require(CKA.PRIVATE_EXPONENT));
            RSAKeyParameters params;
            if (hasAll(key, CKA.PUBLIC_EXPONENT, CKA.PRIME_1, CKA.PRIME_2, CKA.EXPONENT_1, CKA.EXPONENT_2, CKA.COEFFICIENT)) {
                params = new RSAPrivateCrtKeyParameters(n, big(key, CKA.PUBLIC_EXPONENT), d, big(key, CKA.PRIME_1), big(key, CKA.PRIME_2),
                        big(key, CKA.EXPONENT_1), big(key, CKA.EXPONENT_2), big(key, CKA.COEFFICIENT));
            } else {
                params = new RSAKeyParameters(true, n, d);
            }
            return new Private(params, (n.bitLength() + 7) / 8, AccpRsaEngine.translate(params, accp));
        });
        KeyChecks.requireSize(p.params().getModulus().bitLength(), minBits, MAX_BITS, "RSA modulus bits");
        return p;
    }

    /** A public key for encryption or wrapping: minBits..8192 bits. */
    static Public publicKey(KeyView key, int minBits) {
        Public p = verifyingKey(key);
        KeyChecks.requireSize(p.params().getModulus().bitLength(), minBits, MAX_BITS, "RSA modulus bits");
        return p;
    }

    /** A public key for verification: 1024..8192 bits. */
    static Public verifyingKey(KeyView key) {
        return verifyingKey(key, CryptoBackend.accp());
    }

    static Public verifyingKey(KeyView key, Optional<Provider> accp) {
        KeyChecks.requireKeyType(key, CKK.RSA);
        return key.cached(Public.class, () -> {
            BigInteger n = modulus(key, MIN_VERIFY_BITS);
            RSAKeyParameters params = new RSAKeyParameters(false, n, big(key, CKA.PUBLIC_EXPONENT));
            return new Public(params, (n.bitLength() + 7) / 8, AccpRsaEngine.translate(params, accp));
        });
    }

    private static BigInteger modulus(KeyView key, int minBits) {
        BigInteger n = big(key, CKA.MODULUS);
        KeyChecks.requireSize(n.bitLength(), minBits, MAX_BITS, "RSA modulus bits");
        return n;
    }

    private static BigInteger big(KeyView key, long type) {
        return BigInts.decode(key.require(type));
    }

    private static boolean hasAll(KeyView key, long... types) {
        for (long t : types) {
            if (key.attribute(t) == null) {
                return false;
            }
        }
        return true;
    }
}
