package io.jhsm.itest;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/cloudhsm-walkthrough.sh end to end through the real dist/jhsm launcher, OpenSSL (libp11)
 * and pkcs11-tool: cluster, users, a shared key used from a second process, quorum, audit, backup.
 */
class CloudHsmWalkthroughTest {
    @TempDir Path dir;

    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "CloudHSM semantics are jhsm's own")
    void theWalkthroughSucceeds() {
        ModuleUnderTest.path();
        Path script = ModuleUnderTest.repoRoot().resolve("examples/cloudhsm-walkthrough.sh");
        Cmd.of("bash", script.toString(), dir.toString()).timeout(Duration.ofMinutes(5)).run()
                .assertOk("cloudhsm-walkthrough.sh")
                .assertOutputContains("Verified OK", "bob's OpenSSL signature with alice's shared key verifies")
                .assertOutputContains("refused, as it should be", "bob cannot delete alice's key")
                .assertOutputContains("chain: intact", "the audit log verifies")
                .assertOutputContains("done: walkthrough", "every step ran");
    }
}
