package io.jhsm.itest;

import io.grpc.ManagedChannel;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.HsmChannels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One jhsm HSM node on loopback, made as a user makes it: {@code dist/jhsm cluster up --hsms 1 --quick-start}
 * (initialized, activated, crypto user {@link #PIN}). A test may kill it (SIGKILL), freeze it (SIGSTOP) and
 * serve the same directory again with {@code dist/jhsm hsm serve} on the same address; {@link #close()} leaves
 * no process behind.
 */
final class NetworkNode implements AutoCloseable {
    static final String ADMIN_PASSWORD = "Admin-pass-1";
    static final String USER = "alice";
    static final String PIN = USER + ":password";
    static final long CKU_USER = 1;

    private final Path dir;
    private final Path jhsm;
    private final ClientConfig config;
    private Background serving;
    private int restarts;

    private NetworkNode(Path dir, Path jhsm) {
        this.dir = dir;
        this.jhsm = jhsm;
        this.config = ClientConfig.load(clientConf());
    }

    /** {@code cluster up --quick-start} into {@code dir}; fails the test with the transcript if it does not come up. */
    static NetworkNode up(Path dir) {
        Path jhsm = ModuleUnderTest.repoRoot().resolve("dist/jhsm");
        Cmd.Result r = Cmd.of(jhsm.toString(), "cluster", "up", "--hsms", "1", "--dir", dir.toString(), "--quick-start",
                        "--admin-password", ADMIN_PASSWORD, "--crypto-user", PIN)
                .timeout(Duration.ofMinutes(3)).run();
        if (!r.ok()) {
            Cmd.of(jhsm.toString(), "cluster", "down", "--dir", dir.toString()).timeout(Duration.ofMinutes(1)).run();
            throw new AssertionError("cluster up failed:\n" + r.describe() + "\nnode log:\n" + readQuietly(dir.resolve("hsm-1/node.log")));
        }
        return new NetworkNode(dir, jhsm);
    }

    Path clientConf() {
        return dir.resolve("client.conf");
    }

    /** The HSM's own directory, the one {@code hsm serve --dir} serves. */
    Path nodeDir() {
        return dir.resolve("hsm-1");
    }

    ClientConfig.HostAndPort address() {
        return config.hsms().get(0);
    }

    /** A copy of client.conf with these timeouts, for clients that must notice a dead node quickly. */
    Path clientConf(Duration connectTimeout, Duration callTimeout) {
        try {
            Path conf = dir.resolve("client-" + callTimeout.toMillis() + "ms.conf");
            String text = Files.readString(clientConf()).replaceAll("(?m)^\\s*(connect|call)-timeout-ms\\s*=.*$", "")
                    + "\nconnect-timeout-ms = " + connectTimeout.toMillis() + "\ncall-timeout-ms = " + callTimeout.toMillis() + "\n";
            Files.writeString(conf, text);
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, String> clientEnv(Path conf) {
        return Map.of("JHSM_CONF", conf.toString());
    }

    /** A TLS channel exactly as the client library opens it (trust anchor from client.conf). */
    ManagedChannel channel() {
        return HsmChannels.open(config, address());
    }

    // ---- the node's process

    /** The running node's pid: the one this test started, or the one {@code cluster up} recorded. */
    long pid() {
        if (serving != null) {
            return serving.pid();
        }
        String text = readQuietly(nodeDir().resolve("node.pid")).trim();
        if (text.isEmpty()) {
            throw new AssertionError("no " + nodeDir().resolve("node.pid") + " after cluster up");
        }
        return Long.parseLong(text);
    }

    boolean alive() {
        return ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Fails the test, with the node's log, if the node process is gone (it crashed). */
    void assertAlive(String after) {
        if (!alive()) {
            throw new AssertionError("the node died after " + after + ":\n" + log());
        }
    }

    String log() {
        return serving != null ? serving.output() : readQuietly(nodeDir().resolve("node.log"));
    }

    void kill9() {
        long pid = pid();
        signal("KILL", pid);
        awaitGone(pid);
    }

    void freeze() {
        signal("STOP", pid());
    }

    void thaw() {
        signal("CONT", pid());
    }

    /** Serves the same directory on the same address again, as an operator restarts a crashed HSM. */
    void serveAgain() {
        ClientConfig.HostAndPort at = address();
        Path log = nodeDir().resolve("serve-" + ++restarts + ".log");
        serving = Background.start("hsm serve", Cmd.of(jhsm.toString(), "hsm", "serve", "--dir", nodeDir().toString(),
                "--listen", at.host() + ":" + at.port()), log);
        serving.awaitOutput("serving", Duration.ofMinutes(1), "the node restarts on " + at);
    }

    private static void signal(String name, long pid) {
        Cmd.of("kill", "-" + name, Long.toString(pid)).timeout(Duration.ofSeconds(10)).run().assertOk("kill -" + name);
    }

    private static void awaitGone(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (p.isPresent() && p.get().isAlive() && System.nanoTime() < deadline) {
            sleep(50);
        }
        if (p.isPresent() && p.get().isAlive()) {
            throw new AssertionError("process " + pid + " still alive 20 s after SIGKILL");
        }
    }

    // ---- memory of the node (a JVM): jcmd, as an operator would look

    /** Java heap in use after a full GC, in KiB (what stays reachable). */
    long heapUsedAfterGcKib() {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        long used = 0;
        Matcher m = Pattern.compile("(?m)^(?!.*(Metaspace|class space)).*\\btotal \\d+K, used (\\d+)K").matcher(info);
        while (m.find()) {
            used += Long.parseLong(m.group(2));
        }
        if (used == 0) {
            throw new AssertionError("cannot read the heap from jcmd GC.heap_info:\n" + info);
        }
        return used;
    }

    /** Resident set of the node process in KiB. */
    long rssKib() {
        Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(readQuietly(Path.of("/proc/" + pid() + "/status")));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private String jcmd(String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Cmd.of(jcmd.toString(), Long.toString(pid()), command).timeout(Duration.ofSeconds(60)).run()
                .assertOk("jcmd " + command).output();
    }

    @Override
    public void close() {
        if (serving != null) {
            serving.close();
        }
        Cmd.of(jhsm.toString(), "cluster", "down", "--dir", dir.toString()).timeout(Duration.ofMinutes(1)).run();
        String pid = readQuietly(nodeDir().resolve("node.pid")).trim();
        if (!pid.isEmpty()) {
            // Only our node: a pid file left by a killed node may name a recycled pid by now.
            ProcessHandle.of(Long.parseLong(pid))
                    .filter(p -> p.info().commandLine().map(c -> c.contains("io.jhsm")).orElse(false))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }
}
