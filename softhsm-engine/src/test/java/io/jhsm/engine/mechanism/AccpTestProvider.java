package io.jhsm.engine.mechanism;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;

/**
 * ACCP's provider for the tests that run the ACCP implementations against BC and the JDK whatever JHSM_CRYPTO
 * says; such a test is skipped, saying why, where ACCP cannot load (another OS or architecture).
 */
public final class AccpTestProvider {
    private AccpTestProvider() {}

    public static Provider require() {
        AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
        assumeTrue(p.getLoadingError() == null, () -> "ACCP does not load here: " + p.getLoadingError());
        return p;
    }
}
