package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jhsm bench --native-client} runs end to end in its shortest form: dist/libjhsm-client.so and the JVM
 * module, both clients of a node the bench starts on loopback, beside the JVM module and SoftHSMv2 in-process; the
 * node torn down after. It checks that every module ran every case and the table was written; never a timing.
 */
class NativeClientBenchTest {
    @TempDir Path dir;

    @Test
    void nativeClientModeMeasuresTheNativeClientBesideTheJvmModuleAndSoftHsm() throws IOException {
        NativeClient.module();   // a missing client fails here, with how to build it
        Path jhsm = ModuleUnderTest.repoRoot().resolve("dist/jhsm");
        Path out = dir.resolve("out");
        Cmd.Result r = Cmd.of(jhsm.toString(), "bench", "--native-client", "--against", P11BenchTest.SOFTHSM.toString(),
                        "--quick", "--rounds", "1", "--ms", "100", "--out", out.toString())
                .env("TMPDIR", dir.toString())   // the script's temp dir, and so the node's, is under dir
                .in(dir).timeout(Duration.ofMinutes(6)).run().assertOk("jhsm bench --native-client");

        String md = Files.readString(out.resolve("native-client.md"));
        for (String row : new String[] {"| load + C_Initialize (cold", "| cold start to the first C_OpenSession",
            "| C_GetSessionInfo", "| C_Sign ECDSA P-256", "| C_Encrypt AES-256-GCM 1 KiB"}) {
            String line = md.lines().filter(l -> l.startsWith(row)).findFirst()
                    .orElseThrow(() -> new AssertionError("row '" + row + "' missing from:\n" + md + "\n" + r.output()));
            // | operation | native | JVM network | SoftHSMv2 | JVM in-process | native / JVM network | native / SoftHSMv2 |
            String[] cells = line.split("\\|");
            for (int column = 2; column <= 7; column++) {
                assertTrue(cells[column].trim().matches("[0-9.e+-]+( ms| µs)?"), "a module did not run '" + row.substring(2)
                        + "' (column " + column + "): " + line + "\n" + md + "\n" + r.output());
            }
        }
        // The node is gone with the run: no `hsm serve` of this temp directory is left.
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("hsm serve")
                && p.info().commandLine().orElse("").contains(dir.toString())), "a node outlived jhsm bench");
    }
}
