package io.jhsm.engine.mechanism;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;

/**
 * ACCP's provider for the tests that cross-check an ACCP implementation against Bouncy Castle or the JDK
 * directly, whichever backend {@code JHSM_CRYPTO} picked for the rest of the run.
 */
public final class Accp {
    private Accp() {}

    /** ACCP's provider; the test is skipped (not passed) where ACCP cannot load, i.e. off linux-x86_64. */
    public static Provider provider() {
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        assumeTrue(accp.getLoadingError() == null, () -> "ACCP does not load here: " + accp.getLoadingError());
        return accp;
    }
}
