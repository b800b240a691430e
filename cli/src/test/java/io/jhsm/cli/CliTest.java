package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, in-process: cluster, users, keys and sharing, audit, backups, zeroize, and the refusals. */
class CliTest {
    static final String ADMIN = "--login=admin:Admin-pass1";

    @TempDir
    Path dir;
    CliFixture cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliFixture(dir);
        cli.activeCluster(0, "Admin-pass1");
        cli.ok("user", "create", ADMIN, "--login-role", "admin", "--username", "alice", "--role", "crypto-user", "--password", "alice-pass1");
        cli.ok("user", "create", ADMIN, "--login-role", "admin", "--username", "bob", "--role", "crypto-user", "--password", "bob-pass-1");
    }

    private long aliceKey() {
        Map<String, Object> key = cli.ok("key", "generate-symmetric", "generic-secret", "--username", "alice", "--password",
                "alice-pass1", "--label", "mac", "--attributes", "sign=true", "--json").data();
        return (Long) ((Map<?, ?>) key.get("key")).get("key-reference");
    }

    @Test
    void helpAtEveryLevel() {
        assertTrue(cli.ok("--help").out().contains("cluster"));
        assertTrue(cli.ok("key", "--help").out().contains("generate-symmetric"));
        assertTrue(cli.ok("quorum", "token-sign", "generate", "--help").out().contains("--service"));
        cli.fails(2, "no-such-command");
    }

    @Test
    void clusterLifecycleRefusesOutOfOrderSteps() throws Exception {
        assertEquals("ACTIVE", cli.ok("cluster", "info", "--json").data().get("state"));
        cli.fails(6, "cluster", "activate", "--password", "another-pass");
        cli.fails(6, "cluster", "create", "--csr-dir", dir.toString());
        Files.writeString(dir.resolve("garbage.crt"), "not a certificate");
        cli.ok("cluster", "create", "--slot", "1", "--csr-dir", dir.toString());
        cli.fails(2, "cluster", "initialize", "--slot", "1", "--signed-cert", dir.resolve("garbage.crt").toString(),
                "--trust-anchor", dir.resolve("customerCA.crt").toString());
        // The certificate of slot 0's cluster is signed by the right CA but for another HSM key.
        String other = Files.list(dir).filter(p -> p.toString().endsWith("_CustomerHsmCertificate.crt")).findFirst().orElseThrow().toString();
        cli.fails(8, "cluster", "initialize", "--slot", "1", "--signed-cert", other, "--trust-anchor", dir.resolve("customerCA.crt").toString());
        cli.fails(3, "user", "create", "--login=admin:password", "--login-role", "admin", "--username", "carol", "--role", "crypto-user",
                "--password", "carol-pass1");
    }

    @Test
    void userRulesAndLockout() {
        cli.fails(2, "user", "create", ADMIN, "--login-role", "admin", "--username", "carol", "--role", "crypto-user", "--password", "short");
        cli.fails(2, "user", "create", ADMIN, "--login-role", "admin", "--username", "x".repeat(32), "--role", "crypto-user",
                "--password", "long-enough");
        cli.fails(4, "user", "create", "--login=alice:alice-pass1", "--login-role", "crypto-user", "--username", "carol",
                "--role", "crypto-user", "--password", "carol-pass1");
        for (int i = 0; i < 4; i++) {
            cli.fails(3, "key", "list", "--username", "bob", "--password", "wrong-pass");
        }
        cli.fails(9, "key", "list", "--username", "bob", "--password", "wrong-pass");
        Map<String, Object> bob = ((List<Map<String, Object>>) (List<?>) cli.ok("user", "list", ADMIN, "--login-role", "admin", "--json")
                .data().get("users")).stream().filter(u -> u.get("username").equals("bob")).findFirst().orElseThrow();
        assertEquals(true, bob.get("locked"));
        cli.fails(9, "key", "list", "--username", "bob", "--password", "bob-pass-1");
        cli.ok("user", "unlock", ADMIN, "--login-role", "admin", "--username", "bob", "--password", "bob-pass-2");
        cli.ok("key", "list", "--username", "bob", "--password", "bob-pass-2");
    }

    @Test
    void sharingThroughTheCli() throws Exception {
        long key = aliceKey();
        String[] bob = {"--username", "bob", "--password", "bob-pass-1"};
        assertEquals(List.of(), cli.ok(concat(new String[] {"key", "list", "--json"}, bob)).data().get("matched_keys"));
        cli.ok("key", "share", "--username", "alice", "--password", "alice-pass1", "--key", "attr.label=mac", "--with", "bob");
        assertEquals(1, ((List<?>) cli.ok(concat(new String[] {"key", "list", "--json", "--filter", "attr.label=mac"}, bob))
                .data().get("matched_keys")).size());
        Files.writeString(dir.resolve("data.txt"), "hello");
        cli.ok(concat(new String[] {"crypto", "sign", "--key", "" + key, "--mechanism", "sha256-hmac", "--data-path",
                dir.resolve("data.txt").toString()}, bob));
        cli.fails(10, concat(new String[] {"key", "delete", "--key", "" + key}, bob));
        cli.fails(10, concat(new String[] {"key", "set-attribute", "--key", "" + key, "--name", "label", "--value", "x"}, bob));
        cli.fails(4, "user", "delete", ADMIN, "--login-role", "admin", "--username", "alice");
    }

    @Test
    void wrapAndUnwrapThroughTheCliFollowTheWrapPolicy() throws Exception {
        String[] alice = {"--username", "alice", "--password", "alice-pass1"};
        cli.ok(concat(new String[] {"key", "generate-symmetric", "aes", "--label", "kek", "--attributes",
                "wrap=true,unwrap=true,encrypt=false,decrypt=false"}, alice));
        cli.ok(concat(new String[] {"key", "generate-symmetric", "aes", "--label", "payload", "--attributes",
                "extractable=true,encrypt=true"}, alice));
        Path blob = dir.resolve("payload.wrapped");
        Map<String, Object> wrapped = cli.ok(concat(new String[] {"key", "wrap", "--key", "attr.label=payload",
                "--wrapping-key", "attr.label=kek", "--mechanism", "aes-no-pad", "--path", blob.toString(), "--json"}, alice)).data();
        assertEquals(40L, ((Number) wrapped.get("bytes")).longValue());
        assertEquals(40, Files.size(blob));
        cli.ok(concat(new String[] {"key", "unwrap", "--unwrapping-key", "attr.label=kek", "--mechanism", "aes-no-pad",
                "--path", blob.toString(), "--key-type-class", "aes", "--label", "payload-copy"}, alice));
        // Bob neither owns the payload nor sees the wrapping key: no export for him.
        cli.fails(5, "key", "wrap", "--username", "bob", "--password", "bob-pass-1", "--key", "attr.label=payload",
                "--wrapping-key", "attr.label=kek", "--mechanism", "aes-no-pad", "--path", dir.resolve("x").toString());
    }

    @Test
    void theAdminChoosesTheStrictKeyPolicyAndTheWrapPolicyFollows() throws Exception {
        String[] alice = {"--username", "alice", "--password", "alice-pass1"};
        Map<String, Object> info = cli.ok("cluster", "info", "--json").data();
        assertEquals("default", info.get("key-policy"));
        assertEquals("default", info.get("effective-key-policy"));
        // Default template: the KEK may also encrypt and decrypt, which CloudHSM's (and PKCS#11's) rules allow.
        cli.ok(concat(new String[] {"key", "generate-symmetric", "aes", "--label", "kek"}, alice));
        cli.ok(concat(new String[] {"key", "generate-symmetric", "aes", "--label", "payload", "--attributes", "extractable=true"}, alice));
        String[] wrap = {"key", "wrap", "--key", "attr.label=payload", "--wrapping-key", "attr.label=kek", "--mechanism",
                "aes-no-pad", "--path", dir.resolve("payload.wrapped").toString()};
        cli.ok(concat(wrap, alice));

        cli.fails(3, concat(new String[] {"hsm", "set-key-policy", "strict"}, new String[] {"--login=alice:alice-pass1"}));
        cli.fails(2, "hsm", "set-key-policy", "paranoid", ADMIN, "--login-role", "admin");
        cli.ok("hsm", "set-key-policy", "strict", ADMIN, "--login-role", "admin");
        info = cli.ok("cluster", "info", "--json").data();
        assertEquals("strict", info.get("key-policy"));
        assertEquals("strict", info.get("effective-key-policy"));
        cli.fails(10, concat(wrap, alice));
    }

    @Test
    void auditRecordsAndVerifies() throws Exception {
        aliceKey();
        cli.fails(3, "key", "list", "--username", "alice", "--password", "nope-nope");
        String shown = cli.ok("audit", "show").out();
        for (String op : List.of("CN_CLUSTER_INIT", "CN_CLUSTER_ACTIVATE", "CN_CREATE_USER", "CN_LOGIN", "CN_GENERATE_KEY")) {
            assertTrue(shown.contains(op), op);
        }
        assertTrue(shown.contains("PIN_INCORRECT"));
        cli.ok("audit", "verify");
        Path log = dir.resolve("data/slot-0/audit.log");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(log));
        lines.remove(3);
        Files.write(log, lines);
        CliFixture.Result r = cli.fails(8, "audit", "verify");
        assertTrue(r.err().contains("line 4"), r.err());
    }

    @Test
    void aUserCreatedByAProcessKilledAfterTheCommitHasItsRecord() throws Exception {
        // The child is `jhsm user create` halted between the commit and the audit.log append.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-D" + io.jhsm.engine.diag.KillPoint.PROPERTY + "="
                        + io.jhsm.engine.diag.KillPoint.AUDIT_AFTER_COMMIT, "-cp", classPath, Main.class.getName(),
                "user", "create", ADMIN, "--login-role", "admin", "--username", "carol", "--role", "crypto-user",
                "--password", "carol-pass1"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(cli.env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(io.jhsm.engine.diag.KillPoint.HALT_STATUS, p.exitValue(), new String(p.getInputStream().readAllBytes()));

        cli.ok("audit", "verify");
        String created = cli.ok("audit", "show", "--opcode", "CN_CREATE_USER").out();
        assertTrue(created.contains("target carol"), created);
    }

    @Test
    void hsmCheckReportsAnUndamagedTokenAsSuch() throws Exception {
        aliceKey();
        String out = cli.ok("hsm", "check", "--json").out();
        assertTrue(out.contains("\"damaged_objects\":[]"), out);
    }

    @Test
    void backupRestoreAndZeroize() throws Exception {
        long key = aliceKey();
        cli.ok("key", "share", "--username", "alice", "--password", "alice-pass1", "--key", "" + key, "--with", "bob");
        String id = (String) cli.ok("backup", "create", ADMIN, "--login-role", "admin", "--json").data().get("backup-id");
        cli.fails(4, "backup", "delete", ADMIN, "--login-role", "admin", id);
        cli.fails(2, "backup", "retention", ADMIN, "--login-role", "admin", "--days", "3");
        cli.ok("backup", "restore", "--slot", "1", id);
        Map<?, ?> restored = (Map<?, ?>) ((List<?>) cli.ok("key", "list", "--slot", "1", "--username", "alice", "--password",
                "alice-pass1", "--json").data().get("matched_keys")).get(0);
        assertEquals(List.of("bob"), restored.get("shared-users"));
        cli.ok("hsm", "zeroize", ADMIN, "--login-role", "admin");
        cli.fails(10, "key", "list", "--username", "alice", "--password", "alice-pass1");
        assertTrue(cli.ok("audit", "show", "--opcode", "CN_ZEROIZE").out().contains("CN_ZEROIZE"));
        cli.ok("backup", "restore", id);
        cli.ok("key", "list", "--username", "bob", "--password", "bob-pass-1");
        Path file = dir.resolve("backups").resolve(id + ".jbk");
        byte[] b = Files.readAllBytes(file);
        b[b.length - 5] ^= 1;
        Files.write(file, b);
        cli.ok("hsm", "zeroize", ADMIN, "--login-role", "admin");
        cli.fails(8, "backup", "restore", id);
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
