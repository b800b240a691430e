package io.jhsm.itest;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness ({@code dist/p11bench}, issue #6) runs end to end in its shortest form against the
 * module under test and SoftHSMv2 side by side, in its warm and its first-second mode (issue 16). It checks that
 * every case ran and the report was written; it never looks at a timing.
 */
class P11BenchTest {
    static final Path SOFTHSM = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    /** The rows issue 16 added; SoftHSM, the reference, runs each of them with the templates p11bench passes. */
    static final List<String> ISSUE16_ROWS = List.of("C_DeriveKey ECDH P-256 + C_DestroyObject",
            "C_Encrypt AES-256-GCM 1 MiB", "C_Sign HMAC-SHA256 1 KiB", "C_Decrypt RSA-2048 OAEP (SHA-1)");
    /** The first-second rows in the order issue 16 measured them, then its new rows. */
    static final List<String> FIRST_SECOND_ROWS = List.of("load + C_Initialize (cold: new process)",
            "C_OpenSession + C_CloseSession", "C_GenerateRandom 32 B", "C_Digest SHA-256 64 B",
            "C_Digest SHA-256 1 MiB", "C_Sign ECDSA P-256 (32 B hash)", "C_Verify ECDSA P-256",
            "C_Sign RSA-2048 SHA256_RSA_PKCS", "C_Verify RSA-2048 SHA256_RSA_PKCS", "C_Encrypt AES-256-GCM 1 KiB",
            "C_Encrypt AES-256-CBC-PAD 1 MiB", "C_GetAttributeValue LABEL + ID", "C_GenerateKey AES-256",
            "C_GenerateKeyPair EC P-256", "ECDSA P-256 sign 1 thread", "ECDSA P-256 sign 2 threads (total)",
            "ECDSA P-256 sign 4 threads (total)", "C_CreateObject token data object",
            "C_FindObjects 1 by label among all", "C_DestroyObject token data object",
            "C_DeriveKey ECDH P-256 + C_DestroyObject", "C_Encrypt AES-256-GCM 1 MiB", "C_Sign HMAC-SHA256 1 KiB",
            "C_Decrypt RSA-2048 OAEP (SHA-1)");
    static final Pattern CHILD_ROW = Pattern.compile("row (\\d+) (\\S+) 0x([0-9A-F]+)");

    @TempDir Path dir;

    @Test
    void quickRunReportsEveryCase() throws IOException {
        Cmd.Result r = againstSoftHsm(Duration.ofMinutes(5), "--quick", "--rounds", "1", "--ms", "10", "--objects", "20",
                "--md", dir.resolve("results.md").toString(), "--csv", dir.resolve("results.csv").toString());

        String md = Files.readString(dir.resolve("results.md"));
        List<String> rows = new ArrayList<>(List.of("load + C_Initialize", "cold start to the first C_OpenSession (new process)",
                "C_GetSessionInfo (per-call floor)",
                "C_Sign ECDSA P-256", "C_Encrypt AES-256-GCM 1 KiB", "ECDSA P-256 sign 4 threads", "C_FindObjects 1 by label",
                "C_DestroyObject token data object", "C_GetAttributeValue LABEL + ID (token key)",
                "C_Sign ECDSA P-256 (token key)"));
        rows.addAll(ISSUE16_ROWS);
        for (String row : rows) {
            assertTrue(md.contains("| " + row), "row '" + row + "' missing from:\n" + md + "\n" + r.output());
        }
        assertTrue(md.contains("module SoftHSMv2:"), "module versions are stamped:\n" + md);
        assertTrue(md.contains("One C_GetSessionInfo, median:"), "the per-call floor is stated in microseconds:\n" + md);
        // SoftHSM, the reference, runs the core cases; a module that lacks a mechanism may show n/a elsewhere.
        for (String line : md.split("\n")) {
            if (line.startsWith("| C_Digest") || line.startsWith("| C_Sign ECDSA") || line.startsWith("| C_OpenSession")
                    || line.startsWith("| C_GetSessionInfo") || line.startsWith("| cold start to the first C_OpenSession")
                    || ISSUE16_ROWS.stream().anyMatch(row -> line.startsWith("| " + row + " |"))) {
                assertFalse(line.contains("n/a"), "core case failed: " + line + "\n" + r.output());
            }
        }
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("operation,") && l.contains("SoftHSMv2_ops_per_s")),
                String.join("\n", csv));
    }

    /**
     * The first-second mode starts each module in a process of its own per round and gathers what the children
     * report: every row is in the table, in issue 16's order, with the mode stated above it and SoftHSM's core rows
     * measured, never lost between the processes.
     */
    @Test
    void firstSecondRunReportsEveryRowFromFreshProcesses() throws IOException {
        Cmd.Result r = againstSoftHsm(Duration.ofMinutes(3), "--first-second", "--rounds", "1", "--ms", "10",
                "--objects", "5", "--md", dir.resolve("first-second.md").toString(),
                "--csv", dir.resolve("first-second.csv").toString());

        String md = Files.readString(dir.resolve("first-second.md"));
        assertTrue(md.startsWith("First second:"), "the mode is stated above the table:\n" + md);
        int previous = -1;
        for (String row : FIRST_SECOND_ROWS) {
            int at = md.indexOf("| " + row + " ");
            assertTrue(at > previous, "row '" + row + "' missing or out of order:\n" + md + "\n" + r.output());
            previous = at;
        }
        assertTrue(md.contains("| C_Sign ECDSA P-256 (32 B hash) † |"), "a row whose key is made first is marked:\n" + md);
        assertFalse(md.contains("child process failed"), md + "\n" + r.output());
        for (String line : md.split("\n")) {
            if (line.startsWith("| load") || line.startsWith("| C_Digest") || line.startsWith("| C_Sign ECDSA")) {
                assertFalse(line.contains("n/a"), "core case failed: " + line + "\n" + r.output());
            }
        }
        assertTrue(md.contains("settings: 1 rounds of a fresh process per module"), md);
        List<String> csv = Files.readAllLines(dir.resolve("first-second.csv"));
        assertTrue(csv.get(0).startsWith("# mode: First second:"), String.join("\n", csv));
    }

    /**
     * The child mode's protocol, which the parent parses: an info line, a JVM line and one "row INDEX OPS CK_RV"
     * line per row, on file descriptor 3 (not stdout, where a module may write).
     */
    @Test
    void firstSecondChildWritesOneParsableLinePerRow() throws IOException {
        TokenFixture token = TokenFixture.initialised(Files.createDirectories(dir.resolve("under-test")));
        String spec = "under-test:" + token.module() + ":" + TokenFixture.LABEL + ":" + TokenFixture.USER_PIN;
        Path out = dir.resolve("child.out");
        Cmd.Result r = Cmd.of("sh", "-c", "exec \"$0\" --ms 10 --objects 5 --first-second-child \"$1\" 3>\"$2\"",
                        bench().toString(), spec, out.toString())
                .env(token.env()).in(dir).timeout(Duration.ofMinutes(2)).run().assertOk("p11bench --first-second-child");

        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.get(0).matches("info \\d+ \\d+\t.*\t.*"), String.join("\n", lines));
        assertTrue(lines.get(1).startsWith("jvm "), String.join("\n", lines));
        List<String> rowLines = lines.subList(2, lines.size());
        assertTrue(rowLines.size() == FIRST_SECOND_ROWS.size(), "one line per row:\n" + String.join("\n", lines));
        for (int i = 0; i < rowLines.size(); i++) {
            Matcher m = CHILD_ROW.matcher(rowLines.get(i));
            assertTrue(m.matches(), "unparsable: " + rowLines.get(i));
            assertTrue(Integer.parseInt(m.group(1)) == i, "rows in table order: " + rowLines.get(i));
            boolean ran = Long.parseLong(m.group(3), 16) == 0;
            assertTrue(!ran || Double.parseDouble(m.group(2)) > 0, "a row that ran has a rate: " + rowLines.get(i));
        }
        for (int core : new int[] {0, 3, 5}) {   // load, C_Digest 64 B, C_Sign ECDSA
            assertTrue(rowLines.get(core).endsWith(" 0x0"), "core row failed: " + rowLines.get(core) + "\n" + r.output());
        }
    }

    private static Path bench() {
        Path bench = ModuleUnderTest.repoRoot().resolve("dist/p11bench");
        assertTrue(Files.isExecutable(bench), "not built: " + bench);
        return bench;
    }

    /** p11bench with {@code args} on fresh tokens of the module under test and of SoftHSM; must succeed. */
    private Cmd.Result againstSoftHsm(Duration timeout, String... args) throws IOException {
        TokenFixture token = TokenFixture.initialised(Files.createDirectories(dir.resolve("under-test")));
        TokenFixture.SoftHsm reference = new TokenFixture.SoftHsm(dir.resolve("softhsm"), SOFTHSM);
        reference.writeConfig();
        reference.initToken();
        reference.initUserPin();
        Map<String, String> env = new HashMap<>(token.env());
        env.putAll(reference.env());
        String pin = ":" + TokenFixture.LABEL + ":" + TokenFixture.USER_PIN;
        Cmd cmd = Cmd.of(bench().toString()).args(args);
        // One process cannot load the same library twice as two modules: SoftHSM under test runs alone.
        if (!ModuleUnderTest.isSoftHsm()) cmd.args("-m", "under-test:" + token.module() + pin);
        return cmd.args("-m", "SoftHSMv2:" + SOFTHSM + pin).env(env).in(dir).timeout(timeout).run()
                .assertOk("p11bench " + args[0]);
    }
}
