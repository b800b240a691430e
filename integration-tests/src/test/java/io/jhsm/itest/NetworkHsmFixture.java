package io.jhsm.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One jhsm HSM node per test class, started exactly as the README tells a user: {@code dist/jhsm cluster up
 * --hsms 1 --quick-start} into a temp directory (ports chosen by cluster up), then torn down with {@code dist/jhsm
 * cluster down}. Consumers run as child processes with {@code JHSM_CONF=DIR/client.conf}, so every PKCS#11 call
 * they make crosses loopback TLS to the node; none of them has a token directory of its own. Logins are
 * CloudHSM's: the crypto user's PIN is {@code name:password} (C_Login(CKU_USER, "alice:…")).
 * <p>
 * The cluster has a cluster's default profile, cloudhsm; {@code NetworkHsmFixture.withProfile("pkcs11")} gives its token
 * the pkcs11 profile ({@code jhsm hsm set-profile}) for tests whose point is a generic
 * consumer's compatibility rather than CloudHSM's behaviour.
 * <p>
 * Register as {@code @RegisterExtension static final NetworkHsmFixture hsm = new NetworkHsmFixture();}: the node
 * is up before the class's {@code @BeforeAll} methods and down after its {@code @AfterAll} methods. Teardown
 * fails the class if a node process of this directory is still alive (and then kills it, so nothing is left).
 * <p>
 * The consumers load the module under test, or {@code dist/libjhsm-client.so} when the test class carries
 * {@link ThroughNativeClient}. One fixture object may serve a Network*Test and then its native-client subclass
 * (the static field is inherited): each class run starts from a fresh node and forgets what the previous one read.
 */
public final class NetworkHsmFixture implements BeforeAllCallback, AfterAllCallback, ConsumerToken {
    public static final String ADMIN_PASSWORD = "Admin-pass-1";
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "alice-pass-1";
    /** cluster up starts a JVM, makes a CA, and initializes and activates the cluster over TLS: generous, bounded. */
    static final Duration UP_TIMEOUT = Duration.ofMinutes(3);
    static final Duration DOWN_TIMEOUT = Duration.ofMinutes(1);

    /** Every password given to the node, none of which its log may show. */
    private final Set<String> passwords = new LinkedHashSet<>(List.of(ADMIN_PASSWORD, ALICE_PASSWORD));
    private Path dir;
    private Path module;
    private String tokenLabel;
    private String testClass;
    /** True once a failed start has been torn down already: afterAll then only removes the directory. */
    private boolean stopped;
    /** The profile the node's token is switched to, or null for a cluster's own (cloudhsm). */
    private final String profile;

    public NetworkHsmFixture() {
        this(null);
    }

    private NetworkHsmFixture(String profile) {
        this.profile = profile;
    }

    /**
     * A node whose token gets {@code profile} ({@code jhsm hsm set-profile}, by the admin through the node) before
     * the class's tests: {@code pkcs11} for a test of a consumer's generic PKCS#11 compatibility, which CloudHSM's
     * library would refuse in part (keytool's C_CopyObject, certutil's C_SetAttributeValue). The node opens the
     * token afresh for each application, so every application of the class sees the choice.
     */
    public static NetworkHsmFixture withProfile(String profile) {
        return new NetworkHsmFixture(profile);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Class<?> tested = context.getRequiredTestClass();
        testClass = tested.getSimpleName();
        module = tested.isAnnotationPresent(ThroughNativeClient.class) ? NativeClient.module() : ModuleUnderTest.path();
        stopped = false;
        tokenLabel = null;
        dir = Files.createTempDirectory("jhsm-node-" + testClass + "-");
        Cmd.Result up = jhsmLocal("cluster", "up", "--hsms", "1", "--dir", dir.toString(), "--quick-start",
                "--admin-password", ADMIN_PASSWORD, "--crypto-user", ALICE + ":" + ALICE_PASSWORD)
                .timeout(UP_TIMEOUT).run();
        if (!up.ok() || !Files.isRegularFile(clientConf())) {
            String why = "dist/jhsm cluster up --quick-start failed or wrote no " + clientConf() + ":\n" + up.describe()
                    + "\n" + nodeLog();
            List<String> teardown = stop();
            stopped = true;
            throw new AssertionError(why + "\n" + String.join("\n", teardown));
        }
        up.assertOutputContains(clientConf().toString(), "cluster up prints the path of the client configuration");
        allowSlowConnects();
        String conf = Files.readString(clientConf());
        if (!conf.contains("hsms") || conf.lines().anyMatch(l -> l.trim().startsWith("directory"))) {
            throw new AssertionError("client.conf must name the node (hsms) and no local directory:\n" + conf);
        }
        if (profile != null) {
            jhsm("hsm", "set-profile", profile, "--login", pin("admin", ADMIN_PASSWORD), "--login-role", "admin")
                    .run().assertOk("forwarded jhsm hsm set-profile " + profile);
        }
    }

    /**
     * Tests share two cores with other jobs: a JVM client's TLS connect may take longer than the 5 s a user's
     * machine needs. The timeout itself is net-faults' subject, not these consumers'.
     */
    private void allowSlowConnects() throws IOException {
        Files.writeString(clientConf(), "\nconnect-timeout-ms = 30000\n", StandardOpenOption.APPEND);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (dir == null) return;
        List<String> problems = new ArrayList<>();
        try {
            if (!stopped) {
                auditChainIsIntact(problems);
                problems.addAll(stop());
                noPasswordInTheNodeLog(problems);
            }
        } finally {
            keepNodeLog();
            deleteTree(dir);
        }
        if (!problems.isEmpty()) throw new AssertionError(String.join("\n", problems));
    }

    /** After the consumers' calls, the node's audit log (one per HSM) still verifies: forwarded audit verify. */
    private void auditChainIsIntact(List<String> problems) {
        Cmd.Result r = jhsm("audit", "verify").run();
        if (!r.ok() || !r.output().contains("intact")) {
            problems.add("the node's audit log does not verify after the consumers' calls:\n" + r.describe());
        }
    }

    /** The node logs one line per event and never a password (issue 14: PINs are not logged by the node). */
    private void noPasswordInTheNodeLog(List<String> problems) {
        String log = nodeLog();
        for (String password : passwords) {
            if (log.contains(password)) problems.add("the node's log shows a password:\n" + log);
        }
    }

    /** Where the node's log is kept after the class: target/node-logs/CLASS.log (for a test's failure message). */
    public Path keptNodeLog() {
        return Path.of("target", "node-logs", testClass + ".log").toAbsolutePath();
    }

    /** The node's log outlives the temp directory, for a failure in CI to be read: {@link #keptNodeLog()}. */
    private void keepNodeLog() {
        Path log = dir.resolve("hsm-1/node.log");
        try {
            if (Files.isRegularFile(log)) {
                Path kept = keptNodeLog();
                Files.createDirectories(kept.getParent());
                Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("could not keep the node log " + log + ": " + e);
        }
    }

    /**
     * cluster down, then the checks that it really stopped: the pid cluster up recorded is gone, and no process
     * serving this directory remains. A survivor is killed (nothing is left running); the problems are returned.
     */
    private List<String> stop() {
        Optional<ProcessHandle> recorded = recordedNode();
        Cmd.Result down = jhsmLocal("cluster", "down", "--dir", dir.toString()).timeout(DOWN_TIMEOUT).run();
        List<String> problems = new ArrayList<>();
        if (!down.ok()) problems.add("dist/jhsm cluster down failed:\n" + down.describe());
        recorded.ifPresent(p -> {
            p.onExit().completeOnTimeout(p, 15, TimeUnit.SECONDS).join();
            if (p.isAlive()) problems.add("the node pid " + p.pid() + " from node.pid is still alive after cluster down");
        });
        for (ProcessHandle p : nodesServing(dir)) {
            problems.add("a node serving " + dir + " is still running after cluster down: pid " + p.pid() + " "
                    + commandLine(p).orElse("?"));
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (!problems.isEmpty()) problems.add(nodeLog());
        return problems;
    }

    /** The node process cluster up recorded in DIR/hsm-1/node.pid, while it is alive. */
    private Optional<ProcessHandle> recordedNode() {
        Path pidFile = dir.resolve("hsm-1/node.pid");
        try {
            return Files.isRegularFile(pidFile)
                    ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Every live process whose command line is an {@code hsm serve} of a directory below {@code root} (pgrep -f style). */
    static List<ProcessHandle> nodesServing(Path root) {
        return ProcessHandle.allProcesses()
                .filter(p -> commandLine(p).map(c -> c.contains("hsm serve") && c.contains(root.toString())).orElse(false))
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    /** /proc/PID/cmdline with its NULs as spaces (ProcessHandle.Info may leave the arguments out), else Info's. */
    private static Optional<String> commandLine(ProcessHandle p) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException | SecurityException e) {
            return p.info().commandLine();
        }
    }

    private String nodeLog() {
        Path log = dir.resolve("hsm-1/node.log");
        try {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            return "--- " + log + " (last 4000 characters):\n" + text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "--- no node log at " + log;
        }
    }

    public Path dir() { return dir; }
    @Override public Path module() { return module; }
    @Override public Path file(String name) { return dir.resolve(name); }
    @Override public String label() { return tokenLabel(); }
    @Override public String userPin() { return alicePin(); }
    public Path clientConf() { return dir.resolve("client.conf"); }

    /** What a child process needs to reach the node: JHSM_CONF names client.conf, and nothing else. */
    public Map<String, String> env() {
        return Map.of("JHSM_CONF", clientConf().toString());
    }

    /** The crypto user's PIN as CloudHSM's PKCS#11 library takes it. */
    public static String pin(String user, String password) { return user + ":" + password; }
    public static String alicePin() { return pin(ALICE, ALICE_PASSWORD); }

    /** Any command in the node's directory, as a client of the node. */
    @Override
    public Cmd cmd(String... argv) {
        return Cmd.of(argv).env(env()).in(dir);
    }

    /** dist/jhsm as a client of the node: management commands are forwarded to it. */
    public Cmd jhsm(String... args) {
        return cmd(dist("jhsm").toString()).args(args);
    }

    /** dist/jhsm on this machine (cluster up/down/status are local by nature). */
    private Cmd jhsmLocal(String... args) {
        return Cmd.of(dist("jhsm").toString()).args(args).in(dir);
    }

    /** A second crypto user, created by the admin through the forwarded CLI. */
    public void createCryptoUser(String user, String password) {
        passwords.add(password);
        jhsm("user", "create", "--login", pin("admin", ADMIN_PASSWORD), "--login-role", "admin",
                "--username", user, "--role", "crypto-user", "--password", password)
                .run().assertOk("forwarded jhsm user create " + user);
    }

    /** pkcs11-tool on the module; the cluster is the only slot, so no slot selection is needed. */
    public Cmd pkcs11Tool(String... args) {
        return cmd("pkcs11-tool", "--module", module.toString()).args(args);
    }

    /** pkcs11-tool logged in as a crypto user (CloudHSM: CKU_USER with "name:password"). */
    public Cmd pkcs11ToolAs(String pin, String... args) {
        return pkcs11Tool("--login", "--pin", pin).args(args);
    }

    public Cmd asAlice(String... args) {
        return pkcs11ToolAs(alicePin(), args);
    }

    @Override
    public Cmd asUser(String... args) {
        return asAlice(args);
    }

    /** The cluster's token label (its cluster id), read from the node through pkcs11-tool -L. */
    public String tokenLabel() {
        if (tokenLabel == null) {
            String out = pkcs11Tool("--list-slots").run().assertOk("pkcs11-tool --list-slots through the node").output();
            Matcher m = Pattern.compile("token label\\s+: (\\S+)").matcher(out);
            if (!m.find()) throw new AssertionError("no token in the node's slot list:\n" + out);
            tokenLabel = m.group(1);
        }
        return tokenLabel;
    }

    /** A public key of the cluster as the JDK sees it, read through the node (SubjectPublicKeyInfo DER from pkcs11-tool). */
    public PublicKey publicKey(String algorithm, String... selector) {
        Path der = file("pub-" + String.join("-", selector).replaceAll("[^A-Za-z0-9-]", "_") + ".der");
        asAlice("--read-object", "--type", "pubkey", "-o", der.toString()).args(selector)
                .run().assertOk("read a public key through the node");
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(Files2.read(der)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError("the JDK cannot read the public key the node returned: " + e, e);
        }
    }

    /** RFC 7512 URI of a private key in the cluster, as libp11 takes it, with the given user's PIN. */
    public String privateKeyUri(String objectLabel, String pin) {
        return "pkcs11:token=" + tokenLabel() + ";object=" + objectLabel + ";type=private?pin-value=" + pin;
    }

    static Path dist(String name) {
        Path p = ModuleUnderTest.repoRoot().resolve("dist").resolve(name);
        if (!Files.isRegularFile(p)) throw new AssertionError(p + " missing: build with mvn -B package");
        return p;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
