package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that dies (SIGKILL) or hangs (SIGSTOP) under real PKCS#11 applications: src/test/c/net_client.c
 * through dist/libjhsm.so with JHSM_CONF naming the node (issue 14, "Bad input and faults").
 */
class NodeCrashTest {
    static final String CKR_OK = "0x0";
    static final String CKR_DEVICE_ERROR = "0x30";
    static final String CKR_DEVICE_REMOVED = "0x32";
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    /** A hang check, not a timing assertion: the call timeout and 5 s of slack for a loaded machine. */
    static final long BOUND_MS = CALL_TIMEOUT.toMillis() + 5_000;

    @TempDir Path dir;

    @Test
    void killNineDuringCreatesLosesNoObjectWhoseCreationReturnedOk() throws Exception {
        try (NetworkNode node = NetworkNode.up(dir.resolve("cluster"))) {
            Path program = CPrograms.consumer("net_client");
            // A generous connect timeout: the restarted node answers its first handshakes with a cold JIT.
            Path conf = node.clientConf(Duration.ofSeconds(20), Duration.ofSeconds(10));
            List<Background> clients = new ArrayList<>();
            List<String> acknowledged = new ArrayList<>();
            try {
                for (String prefix : List.of("first", "second")) {
                    clients.add(Background.start("net_client " + prefix, Cmd.of(program.toString(), ModuleUnderTest.path().toString(),
                            NetworkNode.PIN, "create", prefix, "100000").env(node.clientEnv(conf)), dir.resolve(prefix + ".log")));
                }
                for (Background c : clients) {
                    c.awaitOutput("ok " , Duration.ofMinutes(1), "the client creates objects through the node");
                }
                // Both streams well under way, then the node dies without a chance to tidy up.
                long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                while (clients.stream().anyMatch(c -> okLines(c.output()).size() < 40) && System.nanoTime() < deadline) {
                    NetworkNode.sleep(50);
                }
                node.kill9();
                for (Background c : clients) {
                    assertTrue(c.awaitExit(Duration.ofSeconds(60)), "a client did not notice the node's death in 60 s:\n" + c.output());
                    assertTrue(c.output().contains("fail "), "the client's stream ends with a failed call:\n" + c.output());
                    List<String> ok = okLines(c.output());
                    assertTrue(ok.size() >= 40, "too few objects made before the kill:\n" + c.output());
                    acknowledged.addAll(ok);
                    System.out.println(c.output().lines().filter(l -> l.startsWith("fail ")).findFirst().orElse("")
                            + " after " + ok.size() + " acknowledged objects");
                }
            } finally {
                clients.forEach(Background::close);
            }

            node.serveAgain();
            Cmd.Result check = Cmd.of(program.toString(), ModuleUnderTest.path().toString(), NetworkNode.PIN, "check")
                    .env(node.clientEnv(conf)).stdin(String.join("\n", acknowledged) + "\n").timeout(Duration.ofMinutes(3)).run()
                    .assertOk("finding every acknowledged object after the restart");
            check.assertOutputContains("checked " + acknowledged.size() + " missing 0", "every CKR_OK object survived");

            // The audit chain verifies, asked through the node as a user would, and on the node's directory itself.
            Path jhsm = ModuleUnderTest.repoRoot().resolve("dist/jhsm");
            Cmd.of(jhsm.toString(), "audit", "verify").env(node.clientEnv(node.clientConf())).timeout(Duration.ofMinutes(2)).run()
                    .assertOk("jhsm audit verify through the node").assertOutputContains("intact", "the audit chain");
            Path local = Files.writeString(dir.resolve("node-local.conf"), "directory = " + node.nodeDir() + "\nslots = 1\n");
            Cmd.of(jhsm.toString(), "audit", "verify").env("JHSM_CONF", local.toString()).timeout(Duration.ofMinutes(2)).run()
                    .assertOk("jhsm audit verify on the node's directory").assertOutputContains("intact", "the audit chain");
            Cmd.of(jhsm.toString(), "hsm", "check").env("JHSM_CONF", local.toString()).timeout(Duration.ofMinutes(2)).run()
                    .assertOk("jhsm hsm check: the store opens and no object is damaged");
        }
    }

    /**
     * A session survives its HSM's restart, as the native client's does (issue 18; CloudHSM: in-progress operations
     * on a lost HSM may fail and must be retried, [UG]/bp-cluster-management.html): calls fail with
     * CKR_DEVICE_REMOVED while the node is down, then the same session handle works again, logged in again.
     */
    @Test
    void aClientOfAHungOrDeadNodeGetsAnErrorInTimeAndItsSessionBackOnceTheNodeIsBack() throws Exception {
        try (NetworkNode node = NetworkNode.up(dir.resolve("cluster"))) {
            Path program = CPrograms.consumer("net_client");
            Path conf = node.clientConf(Duration.ofSeconds(2), CALL_TIMEOUT);
            Path log = dir.resolve("client.log");
            try (Background client = Background.start("net_client steps", Cmd.of(program.toString(),
                    ModuleUnderTest.path().toString(), NetworkNode.PIN, "steps").env(node.clientEnv(conf)).env("JHSM_LOG", log.toString()),
                    dir.resolve("steps.log"))) {
                Steps steps = new Steps(client);
                steps.expect("call", CKR_OK, "a live node answers");
                steps.expect("private", CKR_OK, "the session is logged in: a private session key is made and signs");

                node.freeze();
                try {
                    steps.expect("call", CKR_DEVICE_ERROR, "a hung node: the call's deadline passes");
                } finally {
                    node.thaw();
                }
                steps.expect("call", CKR_OK, "the node thawed: the same connection and session work again");

                // A lost HSM is a removed device for the functions that list CKR_DEVICE_REMOVED (hsm-client StatusMapping).
                node.kill9();
                steps.expect("call", CKR_DEVICE_REMOVED, "C_GetSessionInfo on a dead node");
                steps.expect("call", CKR_DEVICE_REMOVED, "still dead: a call on the session fails again, in time");
                steps.expect("private", CKR_DEVICE_REMOVED, "still dead: C_GenerateKeyPair on the session");
                steps.expect("open", CKR_DEVICE_REMOVED, "C_OpenSession on a dead node");

                node.serveAgain();
                String back = steps.awaitOk("call", List.of(CKR_DEVICE_REMOVED, CKR_DEVICE_ERROR), Duration.ofMinutes(1),
                        "the old session works again once the node is back, in the same process");
                System.out.println("the session came back: " + back);
                steps.expect("private", CKR_OK, "the re-opened session is logged in again: a private session key is made and signs");
                steps.expect("open", CKR_OK, "new sessions open too");
                String warnings = Files.readString(log);
                assertEquals(1, warnings.lines().filter(l -> l.contains("re-opened on HSM")).count(),
                        "one warning line for the one re-opened session:\n" + warnings);
                assertEquals("quit 0x0", steps.quit(), "C_Finalize");
            }
        }
    }

    private static List<String> okLines(String output) {
        List<String> labels = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^ok (\\S+) \\d+$").matcher(output);
        while (m.find()) {
            labels.add(m.group(1));
        }
        return labels;
    }

    /** net_client's "steps" mode: one line in, one result line out, each bounded. */
    private static final class Steps {
        private final Background client;
        private int ready;

        Steps(Background client) {
            this.client = client;
            awaitReady();
        }

        /** Runs a step; fails unless its CK_RV is {@code rv} and it took at most BOUND_MS. */
        void expect(String step, String rv, String why) {
            String line = run(step);
            String[] parts = line.split(" ");
            assertEquals(rv, parts[1], why + ": " + line + "\n" + client.output());
        }

        /** The step's result line ("call 0x30 3004"): a hang check on its duration included. */
        String run(String step) {
            client.send(step);
            awaitReady();
            List<String> lines = Arrays.asList(client.output().split("\n"));
            String line = lines.stream().filter(l -> l.startsWith(step + " ")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no result for " + step + ":\n" + client.output()));
            long ms = Long.parseLong(line.split(" ")[2]);
            assertTrue(ms <= BOUND_MS, step + " took " + ms + " ms, past the call timeout of " + CALL_TIMEOUT.toMillis()
                    + " ms + 5 s: " + line + "\n" + client.output());
            return line;
        }

        /**
         * Runs {@code step} until it answers CKR_OK, at most {@code within}; before that it may answer only one of
         * {@code meanwhile}. Returns the CKR_OK line.
         */
        String awaitOk(String step, List<String> meanwhile, Duration within, String why) {
            long deadline = System.nanoTime() + within.toNanos();
            while (true) {
                String line = run(step);
                String rv = line.split(" ")[1];
                if (rv.equals(CKR_OK)) {
                    return line;
                }
                assertTrue(meanwhile.contains(rv) && System.nanoTime() < deadline, why + ": " + line + "\n" + client.output());
                NetworkNode.sleep(200);
            }
        }

        String quit() {
            client.send("quit");
            assertTrue(client.awaitExit(Duration.ofSeconds(30)), "C_Finalize did not return:\n" + client.output());
            return Arrays.stream(client.output().split("\n")).filter(l -> l.startsWith("quit ")).findFirst().orElse("<none>");
        }

        private void awaitReady() {
            ready++;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (count(client.output(), "ready") < ready) {
                if (System.nanoTime() > deadline || !client.isAlive()) {
                    throw new AssertionError("net_client did not finish its step:\n" + client.output());
                }
                NetworkNode.sleep(20);
            }
        }

        private static int count(String text, String line) {
            return (int) Arrays.stream(text.split("\n")).filter(line::equals).count();
        }
    }
}
