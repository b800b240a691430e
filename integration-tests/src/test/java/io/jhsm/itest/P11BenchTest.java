package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness ({@code dist/p11bench}, issue #6) runs end to end in its shortest form against the
 * module under test and SoftHSMv2 side by side. It checks that every case ran and the report was written;
 * it never looks at a timing.
 */
class P11BenchTest {
    static final Path SOFTHSM = Path.of("/usr/lib/softhsm/libsofthsm2.so");

    @TempDir Path dir;

    @Test
    void quickRunReportsEveryCase() throws IOException {
        Path bench = ModuleUnderTest.repoRoot().resolve("dist/p11bench");
        assertTrue(Files.isExecutable(bench), "not built: " + bench);
        TokenFixture token = TokenFixture.initialised(Files.createDirectories(dir.resolve("under-test")));
        TokenFixture.SoftHsm reference = new TokenFixture.SoftHsm(dir.resolve("softhsm"), SOFTHSM);
        reference.writeConfig();
        reference.initToken();
        reference.initUserPin();
        Map<String, String> env = new HashMap<>(token.env());
        env.putAll(reference.env());

        String pin = ":" + TokenFixture.LABEL + ":" + TokenFixture.USER_PIN;
        Cmd cmd = Cmd.of(bench.toString(), "--quick", "--rounds", "1", "--ms", "10", "--objects", "20",
                "--md", dir.resolve("results.md").toString(), "--csv", dir.resolve("results.csv").toString());
        // One process cannot load the same library twice as two modules: SoftHSM under test runs alone.
        if (!ModuleUnderTest.isSoftHsm()) cmd.args("-m", "under-test:" + token.module() + pin);
        Cmd.Result r = cmd.args("-m", "SoftHSMv2:" + SOFTHSM + pin)
                .env(env).in(dir).timeout(Duration.ofMinutes(5)).run().assertOk("p11bench --quick");

        String md = Files.readString(dir.resolve("results.md"));
        for (String row : List.of("load + C_Initialize", "C_GetSessionInfo (per-call floor)", "C_Sign ECDSA P-256", "C_Encrypt AES-256-GCM 1 KiB",
                "ECDSA P-256 sign 4 threads", "C_FindObjects 1 by label", "C_DestroyObject token data object",
                "C_GetAttributeValue LABEL + ID (token key)", "C_Sign ECDSA P-256 (token key)")) {
            assertTrue(md.contains("| " + row), "row '" + row + "' missing from:\n" + md + "\n" + r.output());
        }
        assertTrue(md.contains("module SoftHSMv2:"), "module versions are stamped:\n" + md);
        assertTrue(md.contains("One C_GetSessionInfo, median:"), "the per-call floor is stated in microseconds:\n" + md);
        // SoftHSM, the reference, runs the core cases; a module that lacks a mechanism may show n/a elsewhere.
        for (String line : md.split("\n")) {
            if (line.startsWith("| C_Digest") || line.startsWith("| C_Sign ECDSA") || line.startsWith("| C_OpenSession")
                    || line.startsWith("| C_GetSessionInfo")) {
                assertFalse(line.contains("n/a"), "core case failed: " + line + "\n" + r.output());
            }
        }
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("operation,") && l.contains("SoftHSMv2_ops_per_s")),
                String.join("\n", csv));
    }
}
