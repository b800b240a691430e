package io.jhsm.itest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cluster of N HSMs on loopback, started as the README tells a user: {@code dist/jhsm cluster up --hsms N
 * --quick-start} into a temp directory (N node processes, DIR/hsm-K each, plus the supervisor), described by
 * {@code cluster status --json}, faulted with {@code cluster fault}, and stopped by {@link #close()}: {@code cluster
 * down}, then any process still running for the directory is killed and the test fails (nothing survives a test).
 * Every wait is bounded; every failure message carries the nodes' and the supervisor's logs.
 */
final class ClusterFixture implements AutoCloseable {
    static final String ADMIN_PASSWORD = "Admin-pass-1";
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-pass-1";
    static final String ALICE_PIN = ALICE + ":" + ALICE_PASSWORD;
    /** N JVMs, a CA, initialization and activation through the network path on a shared 2-core machine. */
    static final Duration UP_TIMEOUT = Duration.ofMinutes(3);
    /** The supervisor, then each node: SIGTERM lets in-flight calls finish (up to 20 s each). */
    static final Duration DOWN_TIMEOUT = Duration.ofMinutes(2);

    /** One HSM as {@code cluster status --json} lists it under {@code data.hsms}. */
    record Hsm(String id, String az, String address, String state, String raftRole, long appliedIndex, long lag, long sessions) {
        boolean active() { return "ACTIVE".equals(state); }
        boolean leader() { return "LEADER".equals(raftRole); }
    }

    private final Path dir;
    private final String name;
    private boolean closed;

    private ClusterFixture(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /**
     * cluster up --hsms N --quick-start in a new temp directory; fails (with everything torn down) if it does not come
     * up. Once more in a new directory when a port cluster up found free was taken before its node bound it (other
     * jobs on the machine start servers too): that race is the machine's, not the cluster's.
     */
    static ClusterFixture up(int hsms, String name) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return upOnce(hsms, name);
            } catch (AssertionError e) {
                if (attempt == 2 || !String.valueOf(e.getMessage()).contains("Address already in use")) throw e;
                System.err.println("cluster up lost a port to another process; once more: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private static ClusterFixture upOnce(int hsms, String name) throws IOException {
        ClusterFixture c = new ClusterFixture(Files.createTempDirectory("jhsm-cluster-" + name + "-"), name);
        try {
            c.local("cluster", "up", "--hsms", Integer.toString(hsms), "--dir", c.dir.toString(), "--quick-start",
                    "--admin-password", ADMIN_PASSWORD, "--crypto-user", ALICE_PIN).timeout(UP_TIMEOUT).run()
                    .assertOk("dist/jhsm cluster up --hsms " + hsms + " --quick-start");
            if (!Files.isRegularFile(c.clientConf())) throw new AssertionError("cluster up wrote no " + c.clientConf());
            // A client JVM's TLS connect on a machine shared with other jobs may take longer than a user's 10 s.
            c.appendTo(c.clientConf(), "connect-timeout-ms = 30000");
            // These tests watch one application's sessions spread over the HSMs and fail over; the default
            // (application: all its sessions on one HSM) is checked by keytoolMakesAKeyPairThroughTheCluster.
            c.appendTo(c.clientConf(), "session-placement = session");
            c.awaitStatus("every HSM of a new cluster is ACTIVE and in sync", Duration.ofMinutes(2),
                    l -> l.size() == hsms && inSync(l));
            return c;
        } catch (IOException | RuntimeException | AssertionError e) {
            String logs = c.logs();
            try {
                c.close();
            } catch (AssertionError teardown) {
                e.addSuppressed(teardown);
            }
            throw new AssertionError("cannot bring up a cluster of " + hsms + " HSMs: " + e.getMessage() + "\n" + logs, e);
        }
    }

    Path dir() { return dir; }
    Path clientConf() { return dir.resolve("client.conf"); }
    Path file(String fileName) { return dir.resolve(fileName); }

    // ---- commands

    /** dist/jhsm on this machine (cluster up/down/status/fault/metrics read DIR). */
    Cmd local(String... args) {
        return Cmd.of(NetworkHsmFixture.dist("jhsm").toString()).args(args).in(dir);
    }

    /** dist/jhsm as a client of the cluster through {@code conf} (management commands are forwarded). */
    Cmd jhsm(Path conf, String... args) {
        return Cmd.of(NetworkHsmFixture.dist("jhsm").toString()).args(args).env("JHSM_CONF", conf.toString()).in(dir);
    }

    /**
     * The cluster token's profile ({@code jhsm hsm set-profile}, by the admin through the cluster), once every HSM
     * has it: applications opened afterwards follow it.
     */
    void setProfile(String profile) {
        jhsm(clientConf(), "hsm", "set-profile", profile, "--login", "admin:" + ADMIN_PASSWORD, "--login-role", "admin")
                .run().assertOk("jhsm hsm set-profile " + profile + " through the cluster");
        awaitInSync("every HSM has profile " + profile);
    }

    /** pkcs11-tool on dist/libjhsm.so, logged in as alice, through {@code conf}. */
    Cmd pkcs11ToolAsAlice(Path conf, String... args) {
        return Cmd.of("pkcs11-tool", "--module", ModuleUnderTest.path().toString(), "--login", "--pin", ALICE_PIN)
                .args(args).env("JHSM_CONF", conf.toString()).in(dir);
    }

    /** OpenSC's PKCS#11 call tracer, which Debian's opensc package ships. */
    private static final Path SPY = Path.of("/usr/lib/x86_64-linux-gnu/pkcs11-spy.so");

    /**
     * {@link #pkcs11ToolAsAlice} through OpenSC's pkcs11-spy when it is installed, and fails unless it exits 0:
     * the failure then quotes every PKCS#11 call with its CK_RV (C_Login's PIN bytes left out), so an
     * intermittent failure says which call answered what. The run itself is the same calls on the same module.
     */
    Cmd.Result pkcs11ToolAsAliceTraced(Path conf, String what, String... args) {
        if (!Files.isRegularFile(SPY)) {
            return pkcs11ToolAsAlice(conf, args).run().assertOk(what);
        }
        Path trace = dir.resolve("spy-" + System.nanoTime() + ".log");
        Cmd.Result r = Cmd.of("pkcs11-tool", "--module", SPY.toString(), "--login", "--pin", ALICE_PIN).args(args)
                .env("JHSM_CONF", conf.toString()).env("PKCS11SPY", ModuleUnderTest.path().toString())
                .env("PKCS11SPY_OUTPUT", trace.toString()).in(dir).run();
        if (!r.ok()) {
            throw new AssertionError(what + " failed:\n" + r.describe() + "\nPKCS#11 calls (pkcs11-spy):\n" + withoutPin(trace));
        }
        return r;
    }

    /** The spy's trace without the hex dump of C_Login's pPin. */
    private static String withoutPin(Path trace) {
        StringBuilder out = new StringBuilder();
        boolean inPin = false;
        try {
            for (String line : Files.readAllLines(trace, StandardCharsets.ISO_8859_1)) {
                if (line.contains("pPin")) {
                    inPin = true;
                    out.append(line).append(" (bytes left out)\n");
                    continue;
                }
                if (inPin && line.startsWith("    ")) continue;
                inPin = false;
                out.append(line).append('\n');
            }
        } catch (IOException e) {
            return "(no trace: " + e + ")";
        }
        return out.toString();
    }

    /** src/test/c/cluster_app as alice through {@code conf} (see its header for the modes). */
    Cmd app(Path conf, String... args) throws IOException {
        return Cmd.of(clusterApp().toString(), ModuleUnderTest.path().toString(), ALICE_PIN).args(args)
                .env("JHSM_CONF", conf.toString()).in(dir);
    }

    /** cluster_app in steps mode through {@code conf}, logged in and waiting for its first step. */
    SteppedApp steps(Path conf, String name) throws IOException {
        return new SteppedApp(Background.start("cluster_app steps " + name, app(conf, "steps"), dir.resolve(name + ".log")));
    }

    /** The EC public key with CKA_ID {@code id}, read through {@code conf} by pkcs11-tool, as the JDK sees it. */
    PublicKey ecPublicKey(Path conf, String id) {
        Path der = dir.resolve("pub-" + id + "-" + conf.getFileName() + ".der");
        pkcs11ToolAsAlice(conf, "--read-object", "--type", "pubkey", "--id", id, "-o", der.toString()).run()
                .assertOk("read public key " + id);
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Files2.read(der)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError("the JDK cannot read the public key " + id + ": " + e, e);
        }
    }

    static Path clusterApp() throws IOException {
        Path out = ModuleUnderTest.repoRoot().resolve("integration-tests/target/cluster_app");
        Path source = Path.of(CPrograms.source("cluster_app.c"));
        // Rebuilt when its source changed too: a stale binary would test the old program.
        if (!Files.isExecutable(out) || Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(out)) > 0) {
            CPrograms.gcc("cluster_app", "-pthread", "-I/usr/include/p11-kit-1", source.toString(), "-ldl");
        }
        return out;
    }

    /** {@code cluster fault --hsm-id ID ARGS…} (throttle --rate R, latency --ms M, stop, kill, partition, clear). */
    Cmd.Result fault(String hsmId, String... args) {
        return local("cluster", "fault", "--dir", dir.toString(), "--hsm-id", hsmId).args(args).timeout(Duration.ofMinutes(1)).run()
                .assertOk("cluster fault " + String.join(" ", args) + " on " + hsmId);
    }

    // ---- configurations

    /** A copy of client.conf that reaches this one HSM only ({@code discovery = off}), plus {@code extra} lines. */
    Path singleHsmConf(Hsm hsm, String... extra) {
        return confFor(List.of(hsm), extra);
    }

    /** A copy of client.conf that reaches these HSMs only ({@code discovery = off}), plus {@code extra} lines. */
    Path confFor(List<Hsm> hsms, String... extra) {
        String addresses = hsms.stream().map(Hsm::address).collect(Collectors.joining(","));
        String tag = hsms.stream().map(Hsm::id).collect(Collectors.joining("+")) + (extra.length == 0 ? "" : "-" + Math.abs(String.join("", extra).hashCode()));
        return confWith("client-" + tag + ".conf", Stream.concat(Stream.of("hsms = " + addresses, "discovery = off"), Stream.of(extra)).toArray(String[]::new));
    }

    /** A copy of client.conf named {@code fileName}, its {@code key = value} lines replaced by {@code lines}' keys. */
    Path confWith(String fileName, String... lines) {
        try {
            List<String> keys = Stream.of(lines).map(l -> l.substring(0, l.indexOf('=')).trim()).toList();
            String kept = Files.readString(clientConf()).lines()
                    .filter(l -> !l.contains("=") || !keys.contains(l.substring(0, l.indexOf('=')).trim()))
                    .collect(Collectors.joining("\n"));
            return Files.writeString(dir.resolve(fileName), kept + "\n" + String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void appendTo(Path conf, String line) throws IOException {
        Files.writeString(conf, Files.readString(conf) + "\n" + line + "\n");
    }

    // ---- status and metrics

    /** {@code cluster status --json}: the HSMs under {@code data.hsms}. */
    List<Hsm> status() {
        Cmd.Result r = local("cluster", "status", "--dir", dir.toString(), "--json").timeout(Duration.ofMinutes(1)).run()
                .assertOk("cluster status --json");
        List<Hsm> hsms = new ArrayList<>();
        for (JsonElement e : data(r).getAsJsonArray("hsms")) {
            JsonObject h = e.getAsJsonObject();
            hsms.add(new Hsm(text(h, "hsm-id"), text(h, "az"), text(h, "address"), text(h, "state"), text(h, "raft-role"),
                    number(h, "applied-index"), number(h, "lag"), number(h, "sessions")));
        }
        return hsms;
    }

    /** Polls {@code cluster status} until {@code until} holds; fails with the last status and the logs after {@code timeout}. */
    List<Hsm> awaitStatus(String why, Duration timeout, Predicate<List<Hsm>> until) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Hsm> last = List.of();
        while (System.nanoTime() < deadline) {
            last = status();
            if (until.test(last)) return last;
            NetworkNode.sleep(500);
        }
        throw new AssertionError(why + ": not within " + timeout.toSeconds() + " s; last status:\n"
                + last.stream().map(Hsm::toString).collect(Collectors.joining("\n")) + "\n" + logs());
    }

    /** Every HSM ACTIVE with lag 0 and one applied index (what a test waits for before it reads through each HSM). */
    static boolean inSync(List<Hsm> hsms) {
        return !hsms.isEmpty() && hsms.stream().allMatch(h -> h.active() && h.lag() == 0)
                && hsms.stream().map(Hsm::appliedIndex).distinct().count() == 1;
    }

    List<Hsm> awaitInSync(String why) {
        return awaitStatus(why, Duration.ofMinutes(1), ClusterFixture::inSync);
    }

    /** {@code cluster metrics --json}: metric name → value for each HSM id. */
    Map<String, Map<String, Double>> metrics() {
        Cmd.Result r = local("cluster", "metrics", "--dir", dir.toString(), "--json").timeout(Duration.ofMinutes(1)).run()
                .assertOk("cluster metrics --json");
        Map<String, Map<String, Double>> byHsm = new LinkedHashMap<>();
        for (JsonElement e : data(r).getAsJsonArray("hsms")) {
            JsonObject h = e.getAsJsonObject();
            Map<String, Double> values = new LinkedHashMap<>();
            h.getAsJsonObject("metrics").entrySet().forEach(m -> values.put(m.getKey(), m.getValue().getAsDouble()));
            byHsm.put(text(h, "hsm-id"), values);
        }
        return byHsm;
    }

    private static JsonObject data(Cmd.Result r) {
        try {
            return JsonParser.parseString(r.output().substring(r.output().indexOf('{'))).getAsJsonObject().getAsJsonObject("data");
        } catch (RuntimeException e) {
            throw new AssertionError("not CloudHSM CLI-style JSON with data: " + e + "\n" + r.describe(), e);
        }
    }

    private static String text(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
    }

    private static long number(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsLong() : -1;
    }

    /** The pid cluster up or the supervisor recorded for an HSM in DIR/cluster.json, if any. */
    Optional<Long> recordedPid(String hsmId) {
        try {
            JsonObject file = JsonParser.parseString(Files.readString(dir.resolve("cluster.json"))).getAsJsonObject();
            for (JsonElement e : file.getAsJsonArray("hsms")) {
                JsonObject h = e.getAsJsonObject();
                if (hsmId.equals(text(h, "hsm-id")) && number(h, "pid") > 0) return Optional.of(number(h, "pid"));
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("cannot read " + dir.resolve("cluster.json") + ": " + e, e);
        }
    }

    // ---- logs and teardown

    /** The last 3000 characters of each node's log and of the supervisor's, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (Path log : logFiles()) {
            String text = read(log);
            b.append("--- ").append(log).append(" (last 3000 characters):\n").append(text.substring(Math.max(0, text.length() - 3000))).append('\n');
        }
        return b.toString();
    }

    /** Whether any HSM's node.log has a line containing {@code text}. */
    boolean someNodeLogSays(String text) {
        return logFiles().stream().filter(p -> p.getFileName().toString().equals("node.log")).anyMatch(p -> read(p).contains(text));
    }

    private List<Path> logFiles() {
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * cluster down; then every process still running for this directory (a node, the supervisor) is killed and
     * named in the failure. The logs are kept in target/cluster-logs/NAME/ for CI.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<String> problems = new ArrayList<>();
        try {
            Cmd.Result down = local("cluster", "down", "--dir", dir.toString()).timeout(DOWN_TIMEOUT).run();
            if (!down.ok()) problems.add("dist/jhsm cluster down failed:\n" + down.describe());
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!survivors().isEmpty() && System.nanoTime() < deadline) NetworkNode.sleep(200);
            for (ProcessHandle p : survivors()) {
                problems.add("still running for " + dir + " after cluster down: pid " + p.pid() + " " + commandLine(p));
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            if (!problems.isEmpty()) problems.add(logs());
        } finally {
            keepLogs();
            deleteTree(dir);
        }
        if (!problems.isEmpty()) throw new AssertionError(String.join("\n", problems));
    }

    /** Live processes whose command line names this directory (nodes: hsm serve --dir DIR/hsm-K; cluster supervise --dir DIR). */
    private List<ProcessHandle> survivors() {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != self && p.isAlive())
                .filter(p -> commandLine(p).contains(dir.toString())).toList();
    }

    private static String commandLine(ProcessHandle p) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | SecurityException e) {
            return p.info().commandLine().orElse("");
        }
    }

    private void keepLogs() {
        try {
            Path kept = Files.createDirectories(Path.of("target", "cluster-logs", name));
            for (Path log : logFiles()) {
                Files.copy(log, kept.resolve(dir.relativize(log).toString().replace('/', '_')), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("could not keep the cluster's logs: " + e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
