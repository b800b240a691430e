package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS offload, CloudHSM's first use case, as a user sets it up (issue 18): nginx (master + 2 forked workers) serves
 * HTTPS with an EC P-256 and an RSA-2048 key that live in the HSM, through libp11's engine on the native client
 * dist/libjhsm-client.so. The keys are made as a CloudHSM user makes them (pkcs11-tool --private), their certificates
 * are signed by a test CA from CSRs the HSM signed, and curl verifies every server against that CA. Each request is a
 * full handshake, so each one is a signature in the HSM made by a forked worker.
 * <p>
 * The node is then killed (SIGKILL) mid-run: requests fail fast (curl's error, not its timeout) while it is down and
 * succeed again once it serves again, from the same master and workers: the native client re-opens the sessions
 * libp11 keeps in its pool (nc-design: "sessions survive an HSM's loss").
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the network HSM is jhsm's own")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NginxTlsOffloadTest {
    /** curl's line for a served request: HTTP 200, curl exit 0, certificate verified (0). */
    static final String SERVED = "200 0 0";
    /** curl's own bound per request; a request that reaches it (exit 28) hung. */
    static final int CURL_MAX_TIME_S = 30;
    static final int CURL_TIMED_OUT = 28;

    @TempDir static Path dir;
    static NetworkNode node;
    static Path ca;
    static NginxServer nginx;
    static NginxServer.Site ec;
    static NginxServer.Site rsa;

    @BeforeAll
    static void nginxServesTwoSitesWhoseKeysAreInTheHsm() throws IOException {
        node = NetworkNode.up(dir.resolve("cluster"));
        // A refused connect is immediate; the call timeout only bounds a node that hangs, which is not this test's case.
        Path clientConf = node.clientConf(Duration.ofSeconds(10), Duration.ofSeconds(10));
        NginxServer.readableByWorkers(dir, clientConf, clientConf.resolveSibling("customerCA.crt"));
        Map<String, String> hsmEnv = node.clientEnv(clientConf);
        String token = tokenLabel(hsmEnv);
        makeKeyPair(hsmEnv, "rsa:2048", "tls-rsa", "01");
        makeKeyPair(hsmEnv, "EC:prime256v1", "tls-ec", "02");

        Path work = Files2.mkdirs(dir.resolve("web"));
        Path engineConf = OpenSslEngineTest.engineConfig(work.resolve("openssl-pkcs11.cnf"), NativeClient.module(), NetworkNode.PIN);
        Map<String, String> env = new HashMap<>(hsmEnv);
        env.put("OPENSSL_CONF", engineConf.toString());
        ca = testCa(work);
        ec = new NginxServer.Site("ec", OpenSslEngineTest.freeLoopbackPort(), certificate(work, env, token, "tls-ec"), keyUri(token, "tls-ec"));
        rsa = new NginxServer.Site("rsa", OpenSslEngineTest.freeLoopbackPort(), certificate(work, env, token, "tls-rsa"), keyUri(token, "tls-rsa"));
        nginx = NginxServer.start(Files2.mkdirs(dir.resolve("nginx")), env, List.of(ec, rsa));
    }

    @AfterAll
    static void stopNginxThenTheNode() {
        try {
            if (nginx != null) nginx.close();
        } finally {
            if (node != null) node.close();
        }
    }

    @Test
    @Order(1)
    void twoHundredVerifiedRequestsAreServedByBothWorkersWithTheEcAndTheRsaKey() {
        for (NginxServer.Site site : List.of(ec, rsa)) {
            Cmd.Result shown = Cmd.of("curl", "-sS", "-v", "--cacert", ca.toString(), "--max-time", "" + CURL_MAX_TIME_S, url(site))
                    .timeout(Duration.ofSeconds(CURL_MAX_TIME_S + 30)).run();
            shown.assertOk("curl " + url(site) + explain())
                    .assertOutputContains("subject: CN=jhsm-nginx-" + site.name(), "the " + site.name() + " site serves its certificate")
                    .assertOutputContains("SSL certificate verify ok", "curl verified it against the test CA");
        }
        int before = nginx.accessLog().size();
        for (NginxServer.Site site : List.of(ec, rsa)) {
            List<String> results = requests(site, 100);
            assertEquals(100, results.stream().filter(SERVED::equals).count(),
                    "every request to the " + site.name() + " site succeeds, verified:\n" + results + explain());
        }
        assertEquals(nginx.workerPids(), servingWorkers(before),
                "both workers (forked after the master loaded the keys) made signatures in the HSM" + explain());
    }

    @Test
    @Order(2)
    void requestsFailFastWhileTheNodeIsDownAndSucceedAgainFromTheSameWorkersOnceItServesAgain() throws IOException {
        long master = nginx.masterPid();
        Set<Long> workers = nginx.workerPids();
        assertEquals(NginxServer.WORKERS, workers.size(), "nginx runs its workers" + explain());
        assertAllSucceed(ec, 10, "before the node's death");

        // Mid-run: a client is sending requests when the node dies. Each of its requests ends, served or refused.
        try (Background running = Background.start("curl during the kill", curl(ec, 5000), dir.resolve("curl-kill.log"))) {
            awaitServed(running, 10);
            node.kill9();
            assertTrue(running.awaitExit(Duration.ofMinutes(3)), "the requests running at the kill end:\n" + tail(running.output()));
            List<String> during = results(running.output());
            assertFalse(hung(during), "no request running at the kill waited for curl's timeout:\n" + tail(running.output()));
            List<String> failed = during.stream().filter(l -> !l.equals(SERVED)).toList();
            System.out.println("requests running at the kill: " + (during.size() - failed.size()) + " served, then "
                    + failed.size() + " failed, the first: " + (failed.isEmpty() ? "-" : failed.get(0)));
            assertFalse(failed.isEmpty(), "the node died while curl's requests ran (raise their number if it did not):\n"
                    + tail(running.output()));
        }

        for (NginxServer.Site site : List.of(ec, rsa)) {
            List<String> down = requests(site, 10);
            assertEquals(10, down.size(), "curl reports each request while the node is down:\n" + down);
            System.out.println(site.name() + " while the node is down: " + down.get(0));
            for (String line : down) {
                assertTrue(line.startsWith("000 "), "no request is served while the node is down: " + line + explain());
                assertFalse(hung(List.of(line)), "a request fails fast (curl's error, not its " + CURL_MAX_TIME_S
                        + " s timeout) while the node is down: " + line + explain());
            }
        }

        node.serveAgain();
        int before = nginx.accessLog().size();
        for (NginxServer.Site site : List.of(ec, rsa)) {
            awaitServedAgain(site);
            assertAllSucceed(site, 50, "after the node serves again");
        }
        assertEquals(master, nginx.masterPid(), "the same nginx master");
        assertEquals(workers, nginx.workerPids(), "the same workers, none replaced, serve again" + explain());
        assertEquals(workers, servingWorkers(before), "both workers' pooled sessions work again after the node's restart" + explain());
        assertFalse(nginx.errorLogText().contains("exited on signal"), "no worker crashed:" + explain());
        nginx.errorLogText().lines().filter(l -> l.contains("jhsm client")).forEach(System.out::println);
    }

    // ---- keys and certificates, as a CloudHSM user makes them

    /** pkcs11-tool on the native client makes the key pair, as the README shows; --private: CloudHSM takes CKA_PRIVATE only at TRUE. */
    static void makeKeyPair(Map<String, String> env, String type, String label, String id) {
        Cmd.of("pkcs11-tool", "--module", NativeClient.module().toString(), "--login", "--pin", NetworkNode.PIN,
                "--keypairgen", "--key-type", type, "--label", label, "--id", id, "--private").env(env).in(dir)
                .run().assertOk("a " + type + " key pair in the HSM");
    }

    static String tokenLabel(Map<String, String> env) {
        String out = Cmd.of("pkcs11-tool", "--module", NativeClient.module().toString(), "--list-slots").env(env).in(dir)
                .run().assertOk("pkcs11-tool --list-slots").output();
        Matcher m = Pattern.compile("token label\\s+: (\\S+)").matcher(out);
        if (!m.find()) throw new AssertionError("no token in the slot list:\n" + out);
        return m.group(1);
    }

    /** RFC 7512 URI of the private key; the PIN is in the engine's configuration, not in the URI. */
    static String keyUri(String token, String label) {
        return "pkcs11:token=" + token + ";object=" + label + ";type=private";
    }

    /** A throw-away CA (plain openssl, no HSM): curl trusts it and nothing else. */
    static Path testCa(Path work) {
        openssl(work, Map.of(), "req", "-new", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=jhsm nginx test CA");
        return work.resolve("ca.crt");
    }

    /** A CSR signed in the HSM by the key (libp11's engine on the native client), certified by the test CA for 127.0.0.1. */
    static Path certificate(Path work, Map<String, String> env, String token, String label) throws IOException {
        String name = label.substring("tls-".length());
        openssl(work, env, "req", "-new", "-engine", "pkcs11", "-keyform", "engine", "-key", keyUri(token, label),
                "-subj", "/CN=jhsm-nginx-" + name, "-out", name + ".csr");
        Files.writeString(work.resolve("san.ext"), "subjectAltName = IP:127.0.0.1\n");
        openssl(work, Map.of(), "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", name + ".crt");
        Cmd.of("openssl", "verify", "-CAfile", "ca.crt", name + ".crt").in(work).run().assertOk("openssl verify " + name + ".crt");
        return work.resolve(name + ".crt");
    }

    static void openssl(Path work, Map<String, String> env, String... args) {
        Cmd.of("openssl").args(args).env(env).in(work).timeout(Duration.ofMinutes(2)).run().assertOk("openssl " + String.join(" ", args));
    }

    // ---- requests

    static String url(NginxServer.Site site) {
        return "https://127.0.0.1:" + site.port() + "/";
    }

    /**
     * n requests in one curl (URL globbing: /1 … /n), each a new connection verified against the test CA; per request
     * the body (the site's name) and one "HTTP EXIT VERIFY error" line.
     */
    static Cmd curl(NginxServer.Site site, int n) {
        return Cmd.of("curl", "-sS", "--cacert", ca.toString(), "--no-sessionid", "--max-time", "" + CURL_MAX_TIME_S,
                "-w", "\\n%{http_code} %{exitcode} %{ssl_verify_result} %{errormsg}\\n", url(site) + "[1-" + n + "]")
                .timeout(Duration.ofSeconds((long) n * CURL_MAX_TIME_S + 60));
    }

    static List<String> requests(NginxServer.Site site, int n) {
        return results(curl(site, n).run().output());
    }

    static List<String> results(String curlOutput) {
        return curlOutput.lines().filter(l -> l.matches("\\d{3} \\d+ \\d+.*")).map(String::strip).toList();
    }

    static boolean hung(List<String> results) {
        return results.stream().anyMatch(l -> l.split(" ")[1].equals(Integer.toString(CURL_TIMED_OUT)));
    }

    static void assertAllSucceed(NginxServer.Site site, int n, String when) {
        List<String> results = requests(site, n);
        assertEquals(n, results.stream().filter(SERVED::equals).count(),
                "every request to the " + site.name() + " site succeeds " + when + ":\n" + results + explain());
    }

    static void awaitServed(Background curl, int n) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (results(curl.output()).stream().filter(SERVED::equals).count() < n) {
            if (System.nanoTime() > deadline || !curl.isAlive()) {
                throw new AssertionError("curl did not get " + n + " answers:\n" + curl.output() + explain());
            }
            NetworkNode.sleep(20);
        }
    }

    /** The node restarts with a cold JIT: requests are retried (bounded) until the first succeeds. */
    static void awaitServedAgain(NginxServer.Site site) {
        List<String> tries = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> one = requests(site, 1);
            tries.addAll(one);
            if (one.equals(List.of(SERVED))) {
                System.out.println(site.name() + " served again after " + tries.size() + " tries: " + tries);
                return;
            }
            NetworkNode.sleep(500);
        }
        throw new AssertionError("the " + site.name() + " site is not served again within 90 s of the node's restart:\n"
                + tries + explain());
    }

    /** The pids of the workers that logged a served request after the access log's first {@code from} lines. */
    static Set<Long> servingWorkers(int from) {
        List<String> log = nginx.accessLog();
        Set<Long> pids = new TreeSet<>();
        for (String line : log.subList(Math.min(from, log.size()), log.size())) {
            String[] f = line.split(" ");
            if (f.length == 3 && f[2].equals("200")) pids.add(Long.parseLong(f[0]));
        }
        return pids;
    }

    static String explain() {
        return "\n--- nginx's error log (the workers' PKCS#11 errors):\n" + tail(nginx == null ? "" : nginx.errorLogText());
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 6000));
    }
}
