package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM-free client (dist/libjhsm-client.so) in a cluster of three HSMs (a majority survives the loss of one,
 * so a login still commits on the survivors), as the Java client behaves (issue 18): sessions placed as
 * session-placement says, the login carried to every HSM used, discovery of an HSM that hsms does not name,
 * throttled calls retried in retry-mode standard, C_SetPIN's new PIN used for later logins; and its one deliberate
 * difference, sessions that survive their HSM's loss (the call in flight fails CKR_DEVICE_REMOVED, later calls run
 * on another HSM or on the same one once it is back). The application is src/test/c/nc_cluster.c, driven one step
 * at a time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NativeClientClusterTest {
    static final String CKR_OK = "0x0";
    static final String CKR_FUNCTION_FAILED = "0x6";
    static final String CKR_DEVICE_REMOVED = "0x32";
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    static ClusterFixture cluster;
    static Path program;
    static Path module;

    @TempDir
    Path dir;

    @BeforeAll
    static void up() throws IOException {
        module = NetworkHsmFixture.dist("libjhsm-client.so");
        program = CPrograms.consumer("nc_cluster");
        cluster = ClusterFixture.up(3, "native-client");
    }

    @AfterAll
    static void down() {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    void sessionsSpreadOverTheHsmsTheLoginReachesEveryHsmUsedAndCloseAllSessionsClosesThemEverywhere() {
        try (App app = new App(cluster.clientConf(), ClusterFixture.ALICE_PIN, dir)) { // session-placement = session
            assertEquals("open 0x0 4", app.run("open 4"), "four sessions open");
            assertEquals("login 0x0", app.run("login"), "C_Login on the first session");
            awaitSessions("the four sessions are spread over every HSM", l -> l.stream().allMatch(h -> h.sessions() >= 1));
            assertTrue(app.run("private").startsWith("private ok=4 failed=0"),
                    "a private key on every session: the application is logged in on every HSM it uses\n" + app.output());
            assertEquals("close 0x0", app.run("close"), "C_CloseAllSessions");
            awaitSessions("C_CloseAllSessions closed the sessions on every HSM", l -> l.stream().allMatch(h -> h.sessions() == 0));
        }
    }

    @Test
    @Order(2)
    void applicationPlacementKeepsAllItsSessionsOnOneHsm() {
        Path conf = cluster.confWith("client-application.conf", "session-placement = application");
        try (App app = new App(conf, ClusterFixture.ALICE_PIN, dir)) {
            assertEquals("open 0x0 4", app.run("open 4"), "four sessions open");
            awaitSessions("all four sessions on one HSM", l -> l.stream().anyMatch(h -> h.sessions() == 4)
                    && l.stream().mapToLong(ClusterFixture.Hsm::sessions).sum() == 4);
        }
    }

    @Test
    @Order(3)
    void discoveryFindsAnHsmThatHsmsDoesNotName() {
        ClusterFixture.Hsm first = cluster.status().get(0);
        Path conf = cluster.confWith("client-discovery.conf", "hsms = " + first.address(), "discovery = on",
                "session-placement = session");
        try (App app = new App(conf, ClusterFixture.ALICE_PIN, dir)) {
            assertEquals("open 0x0 4", app.run("open 4"), "four sessions open");
            awaitSessions("sessions reach the HSM only discovery named", l -> l.size() == 3 && l.stream().allMatch(h -> h.sessions() >= 1));
        }
    }

    @Test
    @Order(4)
    void throttledCallsAreRetriedInRetryModeStandardAndAnsweredAtOnceWithOff() throws IOException {
        ClusterFixture.Hsm hsm = cluster.status().get(0);
        try (App standard = new App(cluster.singleHsmConf(hsm, "retry-mode = standard"), ClusterFixture.ALICE_PIN, dir);
             App off = new App(cluster.singleHsmConf(hsm, "retry-mode = off"), ClusterFixture.ALICE_PIN, dir)) {
            for (App app : List.of(standard, off)) {
                assertEquals("open 0x0 1", app.run("open 1"), "a session");
                assertEquals("login 0x0", app.run("login"), "logged in before the throttling starts");
            }
            cluster.fault(hsm.id(), "throttle", "--rate", "0.5");
            try {
                assertTrue(standard.run("random 20").startsWith("random ok=20 failed=0"),
                        "every throttled call succeeds after the client's retries\n" + standard.output());
                String answered = off.run("random 20");
                assertTrue(answered.matches("random ok=\\d+ failed=[1-9]\\d* .*"), "retry-mode off: throttled calls fail: " + answered);
                assertTrue(Arrays.stream(answered.substring(answered.indexOf("rvs=") + 4).split(","))
                        .allMatch(rv -> rv.equals(CKR_OK) || rv.equals(CKR_FUNCTION_FAILED)),
                        "a throttled call is CKR_FUNCTION_FAILED (CloudHSM's HSM error 0xBB): " + answered);
                assertTrue(off.log().contains("0xBB"), "the client logs the throttled answer it gives up on:\n" + off.log());
            } finally {
                cluster.fault(hsm.id(), "clear");
            }
        }
    }

    /**
     * C_SetPIN's new PIN is the one the client logs in with on the HSMs the application reaches afterwards (its
     * first login's PIN would be refused there). Under the pkcs11 profile: the cloudhsm profile refuses C_SetPIN, as
     * CloudHSM's library does.
     */
    @Test
    @Order(5)
    void theNewPinFromCSetPinIsTheOneLaterLoginsOnOtherHsmsUse() {
        String newPin = ClusterFixture.ALICE + ":alice-pass-2";
        cluster.setProfile("pkcs11");
        try (App app = new App(cluster.clientConf(), ClusterFixture.ALICE_PIN, dir)) { // session-placement = session
            assertEquals("open 0x0 1", app.run("open 1"), "the first session");
            assertEquals("login 0x0", app.run("login"), "logged in on its HSM only");
            assertEquals("setpin 0x0", app.run("setpin " + ClusterFixture.ALICE_PIN + " " + newPin), "C_SetPIN");
            try {
                assertEquals("open 0x0 4", app.run("open 3"), "three more sessions");
                awaitSessions("the new sessions reach the other HSMs, logged in there with the new PIN",
                        l -> l.stream().allMatch(h -> h.sessions() >= 1));
                assertTrue(app.run("private").startsWith("private ok=4 failed=0"), "logged in on every HSM\n" + app.output());
                assertFalse(app.log().contains("C_Login on HSM"), "no HSM refused the login:\n" + app.log());
            } finally {
                assertEquals("setpin 0x0", app.run("setpin " + newPin + " " + ClusterFixture.ALICE_PIN), "the PIN back");
            }
        } finally {
            cluster.setProfile("cloudhsm");
        }
    }

    /** The single node, killed and served again on the same address: the application's sessions come back with it. */
    @Test
    @Order(6)
    void aSessionSurvivesItsHsmsRestartAndFailsFastWhileItIsDown() throws IOException {
        try (NetworkNode node = NetworkNode.up(dir.resolve("node"))) {
            Path conf = node.clientConf(Duration.ofSeconds(20), Duration.ofSeconds(10));
            try (App app = new App(conf, NetworkNode.PIN, dir)) {
                assertEquals("open 0x0 2", app.run("open 2"), "two sessions");
                assertEquals("login 0x0", app.run("login"), "logged in");
                assertEquals("keys 0x0", app.run("keys nc-restart"), "a token key pair");
                assertTrue(app.run("sign").startsWith("sign ok=2 failed=0"), "both sessions sign\n" + app.output());

                node.kill9();
                assertEquals("sign ok=0 failed=2 rvs=0x32,0x32", app.run("sign"), "the HSM is gone: CKR_DEVICE_REMOVED");
                assertEquals("sign ok=0 failed=2 rvs=0x32,0x32", app.run("sign"), "still gone: the calls keep failing");

                node.serveAgain();
                String back = awaitStep(app, "sign", "sign ok=2 failed=0", "the same sessions sign once the HSM is back");
                assertTrue(back.startsWith("sign ok=2"), back);
                assertTrue(app.run("private").startsWith("private ok=2 failed=0"),
                        "the re-opened sessions are logged in again (private keys)\n" + app.output());
                assertTrue(app.log().contains("re-opened on HSM"), "one warning line per re-opened session:\n" + app.log());
            }
        }
    }

    /** Last: it kills an HSM of the cluster (the supervisor replaces it). */
    @Test
    @Order(7)
    void aSessionFailsOverToAnotherHsmWhenItsHsmIsKilled() {
        Path conf = cluster.confWith("client-failover.conf", "session-placement = application");
        try (App app = new App(conf, ClusterFixture.ALICE_PIN, dir)) {
            assertEquals("open 0x0 2", app.run("open 2"), "two sessions");
            assertEquals("login 0x0", app.run("login"), "logged in");
            assertEquals("keys 0x0", app.run("keys nc-failover"), "a token key pair");
            assertTrue(app.run("sign").startsWith("sign ok=2 failed=0"), "both sessions sign\n" + app.output());
            ClusterFixture.Hsm victim = awaitSessions("both sessions on one HSM", l -> l.stream().anyMatch(h -> h.sessions() == 2))
                    .stream().filter(h -> h.sessions() == 2).findFirst().orElseThrow();

            cluster.fault(victim.id(), "kill");
            String during = app.run("sign");
            assertTrue(Arrays.stream(during.substring(during.indexOf("rvs=") + 4).split(","))
                    .allMatch(rv -> rv.equals(CKR_OK) || rv.equals(CKR_DEVICE_REMOVED)),
                    "a call that meets the loss fails CKR_DEVICE_REMOVED; after it the session runs elsewhere: " + during);
            assertTrue(app.run("sign").startsWith("sign ok=2 failed=0"), "both sessions sign on the surviving HSM\n" + app.output());
            assertTrue(app.run("private").startsWith("private ok=2 failed=0"),
                    "logged in on the surviving HSM (private keys)\n" + app.output());
            assertTrue(app.log().contains("re-opened on HSM"), "one warning line per re-opened session:\n" + app.log());
        }
    }

    private static List<ClusterFixture.Hsm> awaitSessions(String why, Predicate<List<ClusterFixture.Hsm>> until) {
        return cluster.awaitStatus(why, Duration.ofSeconds(60), until);
    }

    /** Runs {@code step} until its line starts with {@code want} (the HSM warming up), at most a minute. */
    private static String awaitStep(App app, String step, String want, String why) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        String line = app.run(step);
        while (!line.startsWith(want) && System.nanoTime() < deadline) {
            NetworkNode.sleep(500);
            line = app.run(step);
        }
        assertTrue(line.startsWith(want), why + ": " + line + "\n" + app.output() + "\n" + app.log());
        return line;
    }

    /** nc_cluster through libjhsm-client.so: one step in, its result line out; the client's log in its own file. */
    static final class App implements AutoCloseable {
        private final Background process;
        private final Path log;
        private int readies;

        App(Path conf, String pin, Path dir) {
            try {
                this.log = Files.createTempFile(dir, "client-", ".log");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            process = Background.start("nc_cluster", Cmd.of(program.toString(), module.toString(), pin)
                    .env("JHSM_CONF", conf.toString()).env("JHSM_LOG", log.toString()), log.resolveSibling(log.getFileName() + ".out"));
            awaitReady();
            assertTrue(process.output().contains("init 0x0"), "C_Initialize through " + conf + ":\n" + output() + "\n" + log());
        }

        /** The step's result line (the last line starting with the step's first word). */
        String run(String step) {
            process.send(step);
            awaitReady();
            String word = step.split(" ")[0] + " ";
            return process.output().lines().filter(l -> l.startsWith(word)).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no result for " + step + ":\n" + output()));
        }

        private void awaitReady() {
            readies++;
            long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (process.output().lines().filter("ready"::equals).count() < readies) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("nc_cluster did not finish a step in " + STEP_TIMEOUT.toSeconds() + " s (alive: "
                            + process.isAlive() + "):\n" + output() + "\n" + log());
                }
                NetworkNode.sleep(20);
            }
        }

        String output() {
            return process.output();
        }

        String log() {
            try {
                return Files.isRegularFile(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.send("quit");
                process.awaitExit(Duration.ofSeconds(30));
            }
            process.close();
        }
    }
}
