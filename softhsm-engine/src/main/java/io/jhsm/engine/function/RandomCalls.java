package io.jhsm.engine.function;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * C_SeedRandom and C_GenerateRandom (PKCS#11 §5.19). One generator per engine, kept across
 * C_Finalize and C_Initialize, made at its first use: instantiating and seeding the DRBG is a good part of a cold
 * start that a consumer not asking for random bytes never needs. The session only has to exist.
 */
public final class RandomCalls {
    private volatile SecureRandom random;

    /** The HSM's generator is self-seeding; caller seed material is mixed in, never replacing it. */
    public void seed(ModuleState m, long hSession, byte[] seed) {
        m.sessionFor(hSession, "C_SeedRandom");
        if (seed == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no seed");
        }
        random().setSeed(seed);
    }

    public void generate(ModuleState m, long hSession, byte[] randomData) {
        m.session(hSession);
        if (randomData == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no buffer");
        }
        random().nextBytes(randomData);
    }

    private SecureRandom random() {
        SecureRandom r = random;
        if (r == null) {
            synchronized (this) {
                r = random;
                if (r == null) {
                    random = r = newRandom();
                }
            }
        }
        return r;
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
