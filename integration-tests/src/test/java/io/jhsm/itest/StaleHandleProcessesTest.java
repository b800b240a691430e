package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process holding a token key's handle sees other processes' changes at its next call, not at its next
 * search: src/test/c/stale_handle.c keeps the handle while a second C process turns CKA_ENCRYPT off
 * (C_EncryptInit: CKR_KEY_FUNCTION_NOT_PERMITTED) and pkcs11-tool destroys the key (C_EncryptInit:
 * CKR_KEY_HANDLE_INVALID; C_GetAttributeValue and C_DestroyObject: CKR_OBJECT_HANDLE_INVALID).
 */
class StaleHandleProcessesTest {
    @TempDir Path dir;

    @Test
    void changesCommittedByOtherProcessesBindTheNextCallByHandle() throws Exception {
        TokenFixture token = TokenFixture.initialised(dir);
        Path program = CPrograms.consumer("stale_handle");
        ProcessBuilder pb = new ProcessBuilder(program.toString(), token.module().toString(), TokenFixture.LABEL,
                TokenFixture.USER_PIN, "watch").directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(token.env());
        Process watcher = pb.start();
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(watcher.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = watcher.getOutputStream()) {
            untilReady(out, seen);
            token.cmd(program.toString(), token.module().toString(), TokenFixture.LABEL, TokenFixture.USER_PIN, "restrict")
                    .run().assertOk("restrict in another process");
            in.write('\n');
            in.flush();
            untilReady(out, seen);
            token.asUser("--delete-object", "--type", "secrkey", "--label", "stale-key").run()
                    .assertOk("pkcs11-tool destroys the key");
            in.write('\n');
            in.flush();
            for (String line; (line = out.readLine()) != null; ) {
                seen.add(line);
            }
            assertTrue(watcher.waitFor(60, TimeUnit.SECONDS), "the watcher did not end: " + seen);
        } finally {
            watcher.destroyForcibly();
        }
        assertEquals(List.of("generate 0x0", "before 0x0", "ready",
                "after-restrict 0x68",                       // CKR_KEY_FUNCTION_NOT_PERMITTED
                "ready",
                // CKR_KEY_HANDLE_INVALID; SoftHSMv2 2.6 answers CKR_OBJECT_HANDLE_INVALID, which is not among
                // C_EncryptInit's return values in the base specification (a known deviation of the reference).
                "encrypt-after-destroy " + (ModuleUnderTest.isSoftHsm() ? "0x82" : "0x60"),
                "get-attribute-after-destroy 0x82",          // CKR_OBJECT_HANDLE_INVALID
                "destroy-after-destroy 0x82"), seen);
        assertEquals(0, watcher.exitValue(), String.join("\n", seen));
    }

    /** Reads the watcher's lines up to its "ready" (it bounds itself with alarm(), so this cannot hang). */
    private static void untilReady(BufferedReader out, List<String> seen) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            seen.add(line);
            if (line.equals("ready")) return;
        }
        throw new AssertionError("the watcher ended early: " + seen);
    }
}
