package io.jhsm.itest;

import static io.jhsm.itest.TokenFixture.USER_PIN;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/** pkcs11-tool's own battery of checks (random, digests, sign/verify, decrypt) must pass. */
class PkcsToolSelfTest {
    @TempDir Path dir;

    @Test
    void selfTestPassesOnAFreshToken() {
        TokenFixture token = TokenFixture.initialised(dir);
        token.pkcs11Tool("--test", "--login", "--pin", USER_PIN).run().assertOk("pkcs11-tool --test");
    }

    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm",
            disabledReason = "pkcs11-tool --test decrypts RSA-OAEP with SHA-256 and a label; SoftHSM 2.6 has SHA-1 only")
    void selfTestPassesWithRsaAndEcKeysInTheToken() {
        TokenFixture token = TokenFixture.initialised(dir);
        token.asUser("--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01").run().assertOk("RSA");
        token.asUser("--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02").run().assertOk("EC");
        token.pkcs11Tool("--test", "--login", "--pin", USER_PIN).run().assertOk("pkcs11-tool --test");
    }
}
