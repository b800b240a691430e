package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * jhsm cluster up / status / down through the real dist/jhsm: a node in the background on loopback,
 * initialized through the network path with --quick-start, used by forwarded CLI commands, and stopped
 * with no process left behind.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "jhsm's own HSM node")
class ClusterUpTest {
    private static final Duration UP = Duration.ofMinutes(3);
    @TempDir Path dir;
    private Optional<ProcessHandle> node = Optional.empty();

    private Cmd jhsm(String... args) {
        ModuleUnderTest.path();
        return Cmd.of(ModuleUnderTest.repoRoot().resolve("dist/jhsm").toString()).args(args);
    }

    private Cmd client(String... args) {
        return jhsm(args).env("JHSM_CONF", dir.resolve("client.conf").toString());
    }

    private long recordedPid() throws Exception {
        long pid = Long.parseLong(Files.readString(dir.resolve("hsm-1/node.pid")).strip());
        node = ProcessHandle.of(pid);
        return pid;
    }

    @AfterEach
    void alwaysDown() throws Exception {
        jhsm("cluster", "down", "--dir", dir.toString()).run();
        node.ifPresent(h -> {
            if (h.isAlive()) {
                h.destroyForcibly();
                throw new AssertionError("cluster down left the node (pid " + h.pid() + ") running");
            }
        });
    }

    @Test
    void quickStartGivesAnActiveClusterThatForwardedCommandsUseAndDownStopsIt() throws Exception {
        Cmd.Result up = jhsm("cluster", "up", "--hsms", "1", "--dir", dir.toString(), "--quick-start",
                "--admin-password", "Admin-pass-1", "--crypto-user", "alice:alice-pass-1").timeout(UP).run();
        long pid = recordedPid();
        up.assertOk("cluster up --quick-start").assertOutputContains(dir.resolve("client.conf").toString(), "prints client.conf's path");
        assertTrue(node.map(ProcessHandle::isAlive).orElse(false), "the node runs in the background after cluster up returned");
        assertTrue(Files.readString(dir.resolve("client.conf")).contains("hsm-ca-cert = customerCA.crt"), "client.conf trusts the customer CA");

        jhsm("cluster", "status", "--dir", dir.toString(), "--json").run().assertOk("cluster status")
                .assertOutputContains("\"state\":\"ACTIVE\"", "the cluster was activated through the network path")
                .assertOutputContains("\"address\":\"127.0.0.1:", "a loopback address");
        client("cluster", "info", "--json").run().assertOk("forwarded cluster info")
                .assertOutputContains("\"profile\":\"cloudhsm\"", "a cluster made by cluster up is cloudhsm until the admin chooses (issue 17)")
                .assertOutputContains("\"effective-profile\":\"cloudhsm\"", "and the node's processes run it");
        client("user", "list", "--login", "admin:Admin-pass-1", "--login-role", "admin").run().assertOk("forwarded user list")
                .assertOutputContains("alice", "the crypto user quick-start created");
        client("key", "generate-symmetric", "aes", "--label", "net-aes", "--login", "alice:alice-pass-1").run().assertOk("key generate");
        client("key", "list", "--login", "alice:alice-pass-1").run().assertOk("key list").assertOutputContains("net-aes", "the key is the node's");
        client("audit", "verify").run().assertOk("audit verify").assertOutputContains(dir.resolve("hsm-1").toString(), "the node's audit log");

        jhsm("cluster", "down", "--dir", dir.toString()).run().assertOk("cluster down").assertOutputContains("stopped (pid " + pid + ")", "");
        assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "no node process left");
        assertFalse(Files.exists(dir.resolve("hsm-1/node.pid")), "the pid file is removed");
        assertTrue(Files.readString(dir.resolve("hsm-1/node.log")).contains("jhsm hsm: stopped"), "the node stopped cleanly on SIGTERM");
        jhsm("cluster", "status", "--dir", dir.toString(), "--json").run().assertOk("status of a stopped cluster")
                .assertOutputContains("\"state\":\"STOPPED\"", "a dead HSM is listed as STOPPED");
        client("user", "list", "--login", "admin:Admin-pass-1").timeout(Duration.ofSeconds(90)).run().assertFails("a command without its node")
                .assertOutputContains("UNAVAILABLE", "one clear line: the node cannot be reached");
    }

    @Test
    void withoutQuickStartTheNodeWaitsUninitializedAndClientConfTrustsItsBootstrapCertificate() throws Exception {
        jhsm("cluster", "up", "--dir", dir.toString()).timeout(UP).run().assertOk("cluster up");
        recordedPid();
        assertTrue(Files.readString(dir.resolve("client.conf")).contains("hsm-ca-cert = hsm-1/hsm-bootstrap.crt"));
        client("cluster", "info", "--json").run().assertOk("management reaches an uninitialized node")
                .assertOutputContains("\"state\":\"UNINITIALIZED\"", "left for the manual flow");
        jhsm("cluster", "up", "--dir", dir.toString()).run().assertFails("a second cluster up on a running node")
                .assertOutputContains("running already", "says why");
    }

    @Test
    void moreHsmsThanACloudHsmClusterHoldsAreRefused() {
        Cmd.Result r = jhsm("cluster", "up", "--hsms", "29", "--dir", dir.toString()).run();
        assertEquals(2, r.exitCode(), r.describe());
        r.assertOutputContains("--hsms is 1 to 28", "CloudHSM's cluster size");
        assertFalse(Files.exists(dir.resolve("hsm-1")), "nothing started");
    }
}
