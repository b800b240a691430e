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
    void selfTestPassesWithRsaEcAndAesKeysInTheToken() {
        TokenFixture token = TokenFixture.initialised(dir);
        token.asUser("--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01").run().assertOk("RSA");
        token.asUser("--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02").run().assertOk("EC");
        token.asUser("--keygen", "--key-type", "AES:32", "--label", "aes", "--id", "03").run().assertOk("AES");
        // --allow-sw: pkcs11-tool runs its signature section only for CKF_HW mechanisms unless told otherwise.
        token.pkcs11Tool("--test", "--allow-sw", "--login", "--pin", USER_PIN).run().assertOk("pkcs11-tool --test")
                .assertOutputContains("SHA256-RSA-PKCS: OK", "the RSA key signed with its hashing mechanisms")
                .assertOutputContains("RSA-X-509: OK", "the RSA key verified raw signatures")
                .assertOutputContains("RSA-PKCS-OAEP: ", "the RSA key decrypted OAEP")
                .assertOutputContains("No errors", "every check passed");
    }

    /**
     * --test-ec generates a P-256 token key pair (so it needs a read/write session, which only --session-rw
     * opens), signs with it, changes the public key's label, id and subject (which PKCS#11 lets change on a
     * plain token) and deletes the pair again.
     */
    @Test
    void ecSelfTestGeneratesSignsAndDeletesAKeyPair() {
        TokenFixture token = TokenFixture.initialised(dir);
        token.pkcs11Tool("--test-ec", "--login", "--pin", USER_PIN, "--id", "0e", "--key-type", "EC:secp256r1")
                .run().assertFails("--test-ec in a read-only session")
                .assertOutputContains("CKR_SESSION_READ_ONLY", "token keys need a read/write session");
        token.pkcs11Tool("--test-ec", "--login", "--pin", USER_PIN, "--id", "0e", "--key-type", "EC:secp256r1",
                "--session-rw").run().assertOk("pkcs11-tool --test-ec")
                .assertOutputContains("*** Doing a signature ***", "it signed with the new key")
                .assertOutputContains("==> OK", "pkcs11-tool's verdict")
                .assertOutputLacks("CKR_ATTRIBUTE_READ_ONLY", "CKA_LABEL, CKA_ID and CKA_SUBJECT may change on a plain token");
        String left = token.asUser("--list-objects").run().assertOk("pkcs11-tool --list-objects").output();
        if (left.contains("Private Key Object") || left.contains("Public Key Object")) {
            throw new AssertionError("--test-ec deletes its key pair, but the token still lists keys:\n" + left);
        }
    }
}
