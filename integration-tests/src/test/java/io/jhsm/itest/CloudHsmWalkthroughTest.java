package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
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

    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "CloudHSM semantics are jhsm's own")
    void theWalkthroughSucceedsAgainstANetworkNode() throws Exception {
        ModuleUnderTest.path();
        Path script = ModuleUnderTest.repoRoot().resolve("examples/cloudhsm-walkthrough.sh");
        try {
            Cmd.of("bash", script.toString(), "--network", dir.toString()).timeout(Duration.ofMinutes(8)).run()
                    .assertOk("cloudhsm-walkthrough.sh --network")
                    .assertOutputContains("serving " + dir.resolve("cluster/hsm-1"), "a node started by cluster up")
                    .assertOutputContains("Verified OK", "bob's OpenSSL signature, made through the node, verifies")
                    .assertOutputContains("refused, as it should be", "bob cannot delete alice's key on the node")
                    .assertOutputContains("log: " + dir.resolve("cluster/hsm-1/slot-0/audit.log"), "the node's audit log")
                    .assertOutputContains("chain: intact", "the audit log verifies")
                    .assertOutputContains("done: walkthrough", "every step ran");
        } finally {
            // The script stops its node on exit; a timeout kills the script before it can.
            Cmd.of(ModuleUnderTest.repoRoot().resolve("dist/jhsm").toString(), "cluster", "down", "--dir", dir.resolve("cluster").toString()).run();
        }
        assertFalse(Files.exists(dir.resolve("cluster/hsm-1/node.pid")), "the node was stopped");
    }
}
