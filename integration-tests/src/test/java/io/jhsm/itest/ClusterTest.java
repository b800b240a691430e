package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.itest.ClusterFixture.Hsm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * A cluster of three HSMs (issue 15, "Tests"), started by {@code dist/jhsm cluster up --hsms 3 --quick-start} and
 * shared by the tests below, which real consumers (pkcs11-tool, openssl, src/test/c/cluster_app through
 * dist/libjhsm.so, the forwarded CLI) drive through client.conf or through a configuration that reaches one HSM
 * alone ({@code discovery = off}). The killing test runs last: it changes the cluster's membership.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "jhsm's own HSM cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    static final String CKR_FUNCTION_FAILED = "0x6";
    static final String BOB = "bob";
    static final String BOB_PASSWORD = "bob-pass-1";
    static final Pattern KEY_REFERENCE = Pattern.compile("\"private_key\":\\{\"key-reference\":(\\d+)");
    static ClusterFixture cluster;

    @BeforeAll
    static void threeHsms() throws IOException {
        cluster = ClusterFixture.up(3, "ClusterTest");
    }

    @AfterAll
    static void down() {
        if (cluster != null) cluster.close();
    }

    /**
     * keytool makes a session key pair in one session and reads it from another, which PKCS#11 allows: with the
     * client's default placement (every session of an application on one HSM) that works on a cluster of three.
     */
    @Test
    @Order(1)
    void keytoolMakesAKeyPairThroughTheClusterWithTheDefaultPlacement() throws IOException {
        Path conf = cluster.confWith("client-default-placement.conf", "session-placement = application");
        Path cfg = Files.writeString(cluster.file("sunpkcs11.cfg"), "name = jhsm-cluster\nlibrary = " + ModuleUnderTest.path()
                + "\nslotListIndex = 0\n");
        // The point is placement with a generic consumer: keytool names a key pair with C_CopyObject, which
        // CloudHSM's library lacks, so for this test the cluster's token is pkcs11.
        cluster.setProfile("pkcs11");
        try {
            for (String alias : List.of("kt1", "kt2", "kt3")) { // each keytool a new application, placed by load
                keytool(conf, cfg, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias)
                        .run().assertOk("keytool -genkeypair " + alias + " through the cluster");
            }
            Cmd.Result list = keytool(conf, cfg, "-list").run().assertOk("keytool -list through the cluster");
            for (String alias : List.of("kt1", "kt2", "kt3")) {
                list.assertOutputContains(alias + ", PrivateKeyEntry", alias + " listed");
            }
        } finally {
            cluster.setProfile("cloudhsm");
        }
    }

    private static Cmd keytool(Path conf, Path cfg, String... args) {
        return Cmd.of(SunPkcs11Test.JAVA_BIN.resolve("keytool").toString(), "-keystore", "NONE", "-storetype", "PKCS11",
                "-addprovider", "SunPKCS11", "-providerArg", cfg.toString(), "-providerName", "SunPKCS11-jhsm-cluster",
                "-storepass", ClusterFixture.ALICE_PIN).args(args).env("JHSM_CONF", conf.toString()).timeout(Duration.ofMinutes(2));
    }

    @Test
    @Order(1)
    void keysGeneratedThroughOneHsmAreUsableOnEveryHsm() {
        Path conf = cluster.clientConf();
        // --private on every pkcs11-tool key pair here: a cluster has the cloudhsm profile, and CloudHSM takes
        // CKA_PRIVATE only at TRUE, on the public key too (pkcs11-tool's default is FALSE; OpenSC issue 2747).
        cluster.pkcs11ToolAsAlice(conf, "--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02", "--private")
                .run().assertOk("EC P-256 key pair generated through the cluster");
        cluster.pkcs11ToolAsAlice(conf, "--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01", "--private")
                .run().assertOk("RSA-2048 key pair generated through the cluster");
        cluster.jhsm(conf, "user", "create", "--login", "admin:" + ClusterFixture.ADMIN_PASSWORD, "--login-role", "admin",
                "--username", BOB, "--role", "crypto-user", "--password", BOB_PASSWORD).run().assertOk("jhsm user create bob");
        String generated = cluster.jhsm(conf, "key", "generate-asymmetric-pair", "ec", "--curve", "secp256r1", "--label", "shared-ec",
                "--attributes", "sign=true", "--login", ClusterFixture.ALICE_PIN, "--json").run().assertOk("jhsm key generate").output();
        Matcher m = KEY_REFERENCE.matcher(generated);
        assertTrue(m.find(), "the generated private key's reference:\n" + generated);
        String shared = m.group(1);
        cluster.jhsm(conf, "key", "share", "--key", shared, "--with", BOB, "--login", ClusterFixture.ALICE_PIN)
                .run().assertOk("jhsm key share with bob");

        byte[] data = Files2.randomBytes(1000);
        Path input = Files2.write(cluster.file("data.bin"), data);
        byte[] ecPublicKey = null;
        for (Hsm hsm : cluster.awaitInSync("the keys, user and share reach every HSM")) {
            Path one = cluster.singleHsmConf(hsm);
            String objects = cluster.pkcs11ToolAsAlice(one, "--list-objects", "--type", "privkey").run()
                    .assertOk("pkcs11-tool lists the private keys through " + hsm.id() + " alone").output();
            assertTrue(objects.contains("label:      ec") && objects.contains("label:      rsa"),
                    hsm.id() + " holds both keys made through the cluster:\n" + objects);

            Path ecPem = publicKeyPem(one, hsm, "02");
            Path ecSig = sign(one, hsm, "02", input, "--mechanism", "ECDSA-SHA256", "--signature-format", "openssl");
            opensslVerifies(ecPem, ecSig, input);
            Path rsaSig = sign(one, hsm, "01", input, "--mechanism", "SHA256-RSA-PKCS");
            opensslVerifies(publicKeyPem(one, hsm, "01"), rsaSig, input);
            byte[] der = Files2.read(cluster.file("pub-02-" + hsm.id() + ".der"));
            if (ecPublicKey != null) assertArrayEquals(ecPublicKey, der, hsm.id() + " holds the same EC public key as the others");
            ecPublicKey = der;

            cluster.jhsm(one, "user", "list", "--login", "admin:" + ClusterFixture.ADMIN_PASSWORD, "--login-role", "admin").run()
                    .assertOk("jhsm user list against " + hsm.id()).assertOutputContains(BOB, "bob, created through the cluster, on " + hsm.id());
            cluster.jhsm(one, "key", "list", "--login", BOB + ":" + BOB_PASSWORD, "--filter", "attr.class=private-key",
                            "--filter", "attr.label=shared-ec", "--json").run().assertOk("bob lists his keys on " + hsm.id())
                    .assertOutputContains("\"key-reference\":" + shared, "alice's share reaches " + hsm.id() + ", same handle");
        }
    }

    private static Path publicKeyPem(Path conf, Hsm hsm, String id) {
        Path der = cluster.file("pub-" + id + "-" + hsm.id() + ".der");
        Path pem = cluster.file("pub-" + id + "-" + hsm.id() + ".pem");
        cluster.pkcs11ToolAsAliceTraced(conf, "read public key " + id + " through " + hsm.id(),
                "--read-object", "--type", "pubkey", "--id", id, "-o", der.toString());
        Cmd.of("openssl", "pkey", "-pubin", "-inform", "DER", "-in", der.toString(), "-out", pem.toString()).run()
                .assertOk("openssl parses the public key from " + hsm.id());
        return pem;
    }

    private static Path sign(Path conf, Hsm hsm, String id, Path input, String... mechanism) {
        Path sig = cluster.file("sig-" + id + "-" + hsm.id());
        cluster.pkcs11ToolAsAlice(conf, "--sign", "--id", id, "-i", input.toString(), "-o", sig.toString()).args(mechanism).run()
                .assertOk("sign with key " + id + " through " + hsm.id() + " alone");
        return sig;
    }

    private static void opensslVerifies(Path pem, Path sig, Path input) {
        Cmd.of("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature", sig.toString(), input.toString()).run()
                .assertOk("openssl verifies").assertOutputContains("Verified OK", "the signature verifies");
    }

    @Test
    @Order(2)
    void metricsShowSessionsSpreadOverTheHsms() throws IOException {
        int sessions = 6;
        try (Background app = Background.start("cluster_app hold", cluster.app(cluster.clientConf(), "hold", Integer.toString(sessions)),
                cluster.file("hold.log"))) {
            app.awaitOutput("ready", Duration.ofMinutes(1), "the application opens its sessions and signs on them");
            Map<String, Map<String, Double>> metrics = cluster.metrics();
            List<Hsm> hsms = cluster.status();
            assertEquals(hsms.stream().map(Hsm::id).collect(Collectors.toSet()), metrics.keySet(), "cluster metrics covers every HSM");
            double total = 0;
            for (Map.Entry<String, Map<String, Double>> hsm : metrics.entrySet()) {
                Map<String, Double> m = hsm.getValue();
                assertTrue(m.keySet().containsAll(List.of("HsmUnhealthy", "HsmTemperature", "HsmKeysSessionOccupied",
                        "HsmKeysTokenOccupied", "HsmSslCtxsOccupied", "HsmSessionCount", "HsmUsersAvailable", "HsmUsersMax",
                        "InterfaceEth2OctetsInput", "InterfaceEth2OctetsOutput")), "CloudWatch's AWS/CloudHSM names on " + hsm.getKey() + ": " + m);
                assertEquals(0.0, m.get("HsmUnhealthy"), hsm.getKey() + " is healthy: " + m);
                assertEquals(1024.0, m.get("HsmUsersMax"), "CloudHSM's 1024 users per HSM: " + m);
                assertTrue(m.get("HsmSessionCount") >= 1, "the client opened sessions on " + hsm.getKey() + " too (least loaded first): " + metrics);
                assertTrue(m.get("InterfaceEth2OctetsInput") > 0 && m.get("InterfaceEth2OctetsOutput") > 0, "traffic counted: " + m);
                total += m.get("HsmSessionCount");
            }
            assertTrue(total >= sessions, "the application's " + sessions + " sessions are all counted: " + metrics);
            app.send("stop");
            assertTrue(app.awaitExit(Duration.ofMinutes(1)), "the application stops:\n" + app.output());
            assertTrue(app.output().contains("failed 0"), "every signature on every HSM succeeded:\n" + app.output());
        }
    }

    @Test
    @Order(3)
    void throttledCallsSucceedWithRetryModeStandardAndFailWithOff() throws IOException {
        Hsm hsm = cluster.status().get(0);
        cluster.fault(hsm.id(), "throttle", "--rate", "0.5");
        try {
            Cmd.Result standard = cluster.app(cluster.singleHsmConf(hsm, "retry-mode = standard"), "sign", "20")
                    .timeout(Duration.ofMinutes(2)).run();
            standard.assertOk("an application of a throttled HSM in retry mode standard")
                    .assertOutputContains("signed ok=20 failed=0", "every call succeeds after the client's retries");
            Cmd.Result off = cluster.app(cluster.singleHsmConf(hsm, "retry-mode = off"), "sign", "20")
                    .timeout(Duration.ofMinutes(2)).run();
            off.assertOutputContains("0xBB", "the client logs the throttled answer it gives up on (CloudHSM's HSM error 0xBB)");
            List<String> failures = off.output().lines().filter(l -> l.startsWith("fail ")).toList();
            assertFalse(failures.isEmpty(), "with retry mode off the throttled calls fail:\n" + off.describe());
            for (String failure : failures) {
                assertTrue(failure.endsWith(" " + CKR_FUNCTION_FAILED), "a throttled call is CKR_FUNCTION_FAILED (CloudHSM's 0xBB):\n"
                        + off.describe());
            }
        } finally {
            cluster.fault(hsm.id(), "clear");
        }
    }

    @Test
    @Order(4)
    void partitionedMinorityRefusesWritesAndServesReadsThenHealsAndCatchesUp() throws Exception {
        cluster.pkcs11ToolAsAlice(cluster.clientConf(), "--keypairgen", "--key-type", "EC:prime256v1", "--label", "before", "--id", "b0",
                        "--private")
                .run().assertOk("a key made before the partition");
        List<Hsm> hsms = cluster.awaitInSync("the key reaches every HSM");
        PublicKey before = cluster.ecPublicKey(cluster.clientConf(), "b0");
        Hsm cut = hsms.stream().filter(h -> !h.leader()).findFirst().orElseThrow();
        List<Hsm> majority = hsms.stream().filter(h -> !h.equals(cut)).toList();
        // An application of the HSM to be cut off, logged in before (a login counts failures: a replicated write).
        try (SteppedApp app = cluster.steps(cluster.singleHsmConf(cut), "minority-app")) {
            assertEquals(1, app.found("before"), "the key is on " + cut.id());
            cluster.fault(cut.id(), "partition");
            try {
                assertEquals(1, app.found("before"), "the partitioned HSM serves reads");
                assertTrue(app.signsVerifiably("before", before), "the partitioned HSM signs with an existing key");
                assertEquals(CKR_FUNCTION_FAILED, app.rv("gen refused"), "a token key through the partitioned HSM is not committed");
                cluster.pkcs11ToolAsAlice(cluster.confFor(majority), "--keypairgen", "--key-type", "EC:prime256v1", "--label", "during",
                        "--id", "b2", "--private").timeout(Duration.ofMinutes(1)).run().assertOk("the majority keeps making keys");
                assertEquals(0, app.found("during"), "the cut-off HSM cannot know the majority's new key yet");
            } finally {
                cluster.fault(cut.id(), "clear");
            }
            cluster.awaitInSync("the healed HSM catches up (lag 0, same applied index)");
            assertEquals(1, app.found("during"), "healed, the HSM has the key made during the partition (the same application sees it)");
            assertEquals(0, app.found("refused"), "the refused key exists nowhere");
            assertTrue(app.signsVerifiably("before", before), "and it keeps signing");
        }
    }

    /** What the kill left for the replacement's test: the HSMs before it, the killed one, the acknowledged keys. */
    record Killed(List<String> hsmsBefore, Hsm victim, List<String> acknowledgedKeys) {}

    static Killed killed;

    /**
     * Two processes of two threads each create token keys and sign while one HSM (a follower holding sessions) is
     * killed: no key whose creation returned CKR_OK is lost on the surviving HSMs, handles and CKA_UNIQUE_IDs stay
     * unique, only sessions of the killed HSM fail, and their threads get new sessions that work.
     */
    @Test
    @Order(5)
    void killedHsmLosesNoCommittedKeyAndFailsOnlyItsOwnSessions() throws IOException {
        List<Background> apps = new ArrayList<>();
        List<String> before = cluster.status().stream().map(Hsm::id).toList();
        Hsm victim;
        try {
            for (String process : List.of("p", "q")) {
                apps.add(Background.start("cluster_app work " + process, cluster.app(cluster.clientConf(), "work", process, "2"),
                        cluster.file("work-" + process + ".log")));
            }
            for (Background app : apps) app.awaitOutput("ready", Duration.ofMinutes(1), "the application opens its sessions");
            awaitCreated(apps, 5, "keys are made before the kill");
            List<Hsm> hsms = cluster.status();
            victim = hsms.stream().filter(h -> !h.leader()).max((a, b) -> Long.compare(a.sessions(), b.sessions())).orElseThrow();
            assertTrue(victim.sessions() >= 1, "the client spread its 4 sessions so that a follower holds some: " + hsms);
            List<Integer> createdAtKill = apps.stream().map(a -> acknowledged(a.output()).size()).toList();
            long pid = cluster.recordedPid(victim.id()).orElseThrow(() -> new AssertionError("cluster.json has no pid for " + victim.id()));
            cluster.fault(victim.id(), "kill");
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "cluster fault kill ended " + victim.id() + "'s process " + pid);
            awaitCreatedSince(apps, createdAtKill, 5, "every thread keeps making keys after the kill (new sessions succeed)");
            for (Background app : apps) app.send("stop");
            for (Background app : apps) assertTrue(app.awaitExit(Duration.ofMinutes(2)), "the application stops:\n" + app.output());
        } finally {
            apps.forEach(Background::close);
        }

        List<String> lines = new ArrayList<>();
        int failedThreads = 0;
        for (Background app : apps) {
            String out = app.output();
            lines.addAll(acknowledged(out));
            Set<String> failed = out.lines().filter(l -> l.startsWith("fail ")).map(l -> l.split(" ")[1]).collect(Collectors.toSet());
            failedThreads += failed.size();
            for (String thread : failed) {
                assertTrue(out.contains("reopen " + thread + " 0x0"), "thread " + thread + " got a new session after its HSM died:\n" + out);
            }
            assertTrue(out.lines().filter(l -> l.startsWith("done ")).count() == 2, "both threads finished:\n" + out);
        }
        assertTrue(failedThreads <= victim.sessions(), "errors only on the killed HSM's " + victim.sessions()
                + " sessions, yet " + failedThreads + " threads failed:\n" + apps.get(0).output() + apps.get(1).output());
        assertEquals(lines.size(), lines.stream().map(l -> l.split(" ")[1]).distinct().count(), "no duplicate handle:\n" + lines);
        // "-": the key's HSM died between C_GenerateKeyPair's CKR_OK and the read of its CKA_UNIQUE_ID.
        List<String> uniqueIds = lines.stream().map(l -> l.split(" ")[2]).filter(u -> !u.equals("-")).toList();
        assertEquals(uniqueIds.size(), uniqueIds.stream().distinct().count(), "no duplicate CKA_UNIQUE_ID:\n" + lines);

        killed = new Killed(before, victim, lines);
        for (Hsm hsm : cluster.status().stream().filter(h -> before.contains(h.id()) && !h.id().equals(victim.id())).toList()) {
            assertAllAcknowledgedKeysOn(hsm, lines, "a surviving HSM");
        }
    }

    /**
     * The supervisor replaces the HSM killed above by a new HSM (a new id) that joins, installs a snapshot, catches up
     * (ACTIVE, lag 0) and holds every key whose creation returned CKR_OK, with the same handle and CKA_UNIQUE_ID.
     */
    @Test
    @Order(6)
    void killedHsmIsReplacedByANewHsmHoldingEveryCommittedKey() throws IOException {
        assertTrue(killed != null, "the kill test ran first (ordered)");
        Hsm victim = killed.victim();
        List<Hsm> after = cluster.awaitStatus("the supervisor replaces " + victim.id() + " with a new HSM that becomes ACTIVE with lag 0",
                Duration.ofMinutes(2), l -> l.size() == 3 && l.stream().noneMatch(h -> h.id().equals(victim.id())) && ClusterFixture.inSync(l));
        Set<String> replacements = new HashSet<>(after.stream().map(Hsm::id).toList());
        replacements.removeAll(killed.hsmsBefore());
        assertEquals(1, replacements.size(), "one new HSM id, as AWS's replacement: " + after);
        assertTrue(cluster.someNodeLogSays("membership: removed " + victim.id() + "; the cluster has 2 HSMs"),
                "the dead HSM left the Raft group before its replacement joined: with it still counted, the group of 4 has no"
                        + " majority while the new HSM catches up\n" + cluster.logs());
        for (Hsm hsm : after) {
            assertAllAcknowledgedKeysOn(hsm, killed.acknowledgedKeys(), replacements.contains(hsm.id()) ? "the replacement" : "a survivor");
        }
    }

    private static void assertAllAcknowledgedKeysOn(Hsm hsm, List<String> lines, String which) throws IOException {
        cluster.app(cluster.singleHsmConf(hsm), "check").stdin(String.join("\n", lines) + "\n").timeout(Duration.ofMinutes(2)).run()
                .assertOk("finding every acknowledged key on " + hsm.id() + " (" + which + ")")
                .assertOutputContains("checked " + lines.size() + " missing 0 mismatched 0",
                        "every key whose creation returned CKR_OK, same handle and CKA_UNIQUE_ID, on " + hsm.id() + " (" + which + ")");
    }

    /** "LABEL HANDLE UNIQUE_ID" for each key the application saw created with CKR_OK. */
    static List<String> acknowledged(String output) {
        return output.lines().filter(l -> l.startsWith("ok ")).map(l -> l.substring(3)).toList();
    }

    private static void awaitCreated(List<Background> apps, int each, String why) {
        awaitCreatedSince(apps, apps.stream().map(a -> 0).toList(), each, why);
    }

    /** Until every thread of every application has made {@code each} more keys than {@code since} counted; bounded. */
    private static void awaitCreatedSince(List<Background> apps, List<Integer> since, int each, String why) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            boolean all = true;
            for (int i = 0; i < apps.size(); i++) {
                List<String> made = acknowledged(apps.get(i).output());
                for (String thread : List.of("0", "1")) {
                    long mine = made.stream().skip(since.get(i)).filter(l -> l.split(" ")[0].split("-")[1].equals(thread)).count();
                    all &= mine >= each;
                }
            }
            if (all) return;
            if (System.nanoTime() > deadline || apps.stream().anyMatch(a -> !a.isAlive())) {
                throw new AssertionError(why + ": not within 90 s\n" + apps.stream().map(Background::output).collect(Collectors.joining("\n----\n"))
                        + cluster.logs());
            }
            NetworkNode.sleep(200);
        }
    }
}
