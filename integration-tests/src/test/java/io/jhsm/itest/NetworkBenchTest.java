package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jhsm bench --network} runs end to end in its shortest form: a node brought up by {@code cluster up
 * --quick-start}, the module measured against it beside the in-process module and SoftHSMv2, the node torn
 * down after. It checks that the network cases ran and the report was written; never a timing.
 */
class NetworkBenchTest {
    @TempDir Path dir;

    @Test
    void networkModeMeasuresTheModuleAgainstALocalNodeAndTearsItDown() throws IOException {
        Path jhsm = ModuleUnderTest.repoRoot().resolve("dist/jhsm");
        Path out = dir.resolve("out");
        Cmd.Result r = Cmd.of(jhsm.toString(), "bench", "--against", P11BenchTest.SOFTHSM.toString(), "--network", "--quick",
                        "--rounds", "1", "--ms", "100", "--objects", "20", "--out", out.toString(),
                        "--only", "load + C_Initialize,C_GetSessionInfo,ECDSA P-256 sign 4 threads")
                .env("TMPDIR", dir.toString())   // the script's temp dir, and so the node's, is under dir
                .in(dir).timeout(Duration.ofMinutes(6)).run().assertOk("jhsm bench --network");

        String md = Files.readString(out.resolve("network.md"));
        for (String row : new String[] {"| load + C_Initialize", "| C_GetSessionInfo (per-call floor)", "| ECDSA P-256 sign 4 threads"}) {
            String line = md.lines().filter(l -> l.startsWith(row)).findFirst()
                    .orElseThrow(() -> new AssertionError("row '" + row + "' missing from:\n" + md + "\n" + r.output()));
            String network = line.split("\\|")[3].trim();   // | operation | in-process | network | other | ratio |
            assertTrue(network.matches("[0-9.]+") && Double.parseDouble(network) > 0, "a network case did not run: " + line
                    + "\n" + r.output());
        }
        assertTrue(md.contains("One round trip (C_GetSessionInfo), 1 / throughput: network"), md);
        assertTrue(md.contains("module jhsm-network:"), "the network run is stamped:\n" + md);
        assertTrue(md.contains("C_GetSessionInfo timed call by call, jhsm-network: median"), "the round trip's own median:\n" + md);
        // The node is gone with the run: no `hsm serve` of this temp directory is left.
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("hsm serve")
                && p.info().commandLine().orElse("").contains(dir.toString())), "a node outlived jhsm bench");
    }
}
