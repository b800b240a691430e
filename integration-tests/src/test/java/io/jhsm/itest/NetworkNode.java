package io.jhsm.itest;

import io.grpc.ManagedChannel;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.HsmChannels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One jhsm HSM node on loopback, owned by the test: {@code dist/jhsm hsm serve} as a child process, set up by
 * the manual flow the README documents (the CSR fetched through the node, signed by a throw-away CA with
 * openssl, {@code cluster initialize}, {@code cluster activate}, crypto user {@link #PIN}), so a test may kill
 * it (SIGKILL), freeze it (SIGSTOP) and serve the same directory again on the same address. {@link #close()}
 * leaves no process behind.
 */
final class NetworkNode implements AutoCloseable {
    static final String ADMIN_PASSWORD = "Admin-pass-1";
    static final String USER = "alice";
    static final String PIN = USER + ":password";
    static final long CKU_USER = 1;

    private final Path dir;
    private final Path jhsm;
    private Background serving;
    private int starts;
    private String listen;
    private ClientConfig config;

    private NetworkNode(Path dir, Path jhsm) {
        this.dir = dir;
        this.jhsm = jhsm;
    }

    /** A new node in {@code dir}, initialized and activated, with the crypto user; fails the test with the transcripts if not. */
    static NetworkNode up(Path dir) {
        NetworkNode node = new NetworkNode(dir, ModuleUnderTest.repoRoot().resolve("dist/jhsm"));
        try {
            node.listen = "127.0.0.1:" + freePort();
            node.serveAgain();
            node.initialize();
            return node;
        } catch (IOException | RuntimeException | AssertionError e) {
            node.close();
            throw new AssertionError("cannot bring up a node in " + dir + ": " + e.getMessage() + "\nnode log:\n" + node.log(), e);
        }
    }

    /** A port free right now (hsm serve wants a real one: the address goes into client.conf). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void initialize() throws IOException {
        Path boot = Files.writeString(dir.resolve("bootstrap.conf"), "hsms = " + listen + "\nhsm-ca-cert = hsm-1/hsm-bootstrap.crt\n");
        jhsm(boot, "cluster", "csr", "--out", "cluster.csr");
        openssl("genrsa", "-out", "customerCA.key", "2048");
        openssl("req", "-new", "-x509", "-days", "30", "-key", "customerCA.key", "-out", "customerCA.crt", "-subj", "/CN=Test customer CA");
        openssl("x509", "-req", "-days", "30", "-in", "cluster.csr", "-CA", "customerCA.crt", "-CAkey", "customerCA.key",
                "-CAcreateserial", "-out", "hsm.crt");
        jhsm(boot, "cluster", "initialize", "--signed-cert", "hsm.crt", "--trust-anchor", "customerCA.crt");
        Files.writeString(clientConf(), "hsms = " + listen + "\nhsm-ca-cert = customerCA.crt\ndisable-key-availability-check = true\n");
        config = ClientConfig.load(clientConf());
        jhsm(clientConf(), "cluster", "activate", "--password", ADMIN_PASSWORD);
        jhsm(clientConf(), "user", "create", "--login", "admin:" + ADMIN_PASSWORD, "--login-role", "admin",
                "--username", USER, "--role", "crypto-user", "--password", PIN.substring(USER.length() + 1));
    }

    private void jhsm(Path conf, String... args) {
        Cmd.of(jhsm.toString()).args(args).env("JHSM_CONF", conf.toString()).in(dir).timeout(Duration.ofMinutes(2)).run()
                .assertOk("jhsm " + String.join(" ", args));
    }

    private void openssl(String... args) {
        Cmd.of("openssl").args(args).in(dir).timeout(Duration.ofMinutes(1)).run().assertOk("openssl " + args[0]);
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

    long pid() {
        return serving.pid();
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

    /** Everything every run of the node printed. */
    String log() {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            all.append(readQuietly(nodeDir().resolve("serve-" + i + ".log")));
        }
        return all.toString();
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

    /** Serves the directory (again, on the same address), as an operator restarts a crashed HSM. */
    void serveAgain() throws IOException {
        Path log = Files.createDirectories(nodeDir()).resolve("serve-" + ++starts + ".log");
        serving = Background.start("hsm serve", Cmd.of(jhsm.toString(), "hsm", "serve", "--dir", nodeDir().toString(),
                "--listen", listen), log);
        serving.awaitOutput("jhsm hsm: serving", Duration.ofMinutes(1), "the node starts on " + listen);
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
            if (serving.isAlive()) {
                Cmd.of("kill", "-CONT", Long.toString(serving.pid())).run();   // a frozen node must not outlive the test
            }
            serving.close();
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
