package io.jhsm.engine.function;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * C_SeedRandom and C_GenerateRandom (PKCS#11 §5.19). One generator per engine, kept across
 * C_Finalize and C_Initialize; the session only has to exist.
 */
public final class RandomCalls {
    private final SecureRandom random = newRandom();

    /** The HSM's generator is self-seeding; caller seed material is mixed in, never replacing it. */
    public void seed(ModuleState m, long hSession, byte[] seed) {
        m.session(hSession);
        if (seed == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no seed");
        }
        random.setSeed(seed);
    }

    public void generate(ModuleState m, long hSession, byte[] randomData) {
        m.session(hSession);
        if (randomData == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no buffer");
        }
        random.nextBytes(randomData);
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
