package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operation lifecycle from C (src/test/c/lifecycle.c): length queries consume nothing, an AES-GCM
 * decryption with a bad tag is never CKR_OK, and errors the bridge finds itself (NULL pulLen) end the
 * operation, exactly as the base specification's function texts say.
 */
class OperationLifecycleTest {
    @TempDir Path dir;

    @Test
    void theLifecycleHoldsThroughTheCAbi() throws IOException {
        Path program = Files.createDirectories(ModuleUnderTest.repoRoot().resolve("integration-tests/target")).resolve("lifecycle");
        Cmd.of("gcc", "-std=c11", "-D_DEFAULT_SOURCE", "-Wall", "-Wextra", "-Werror", "-O1", "-I/usr/include/p11-kit-1",
                "-o", program.toString(), ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/c/lifecycle.c").toString(), "-ldl")
                .run().assertOk("gcc lifecycle");
        TokenFixture token = TokenFixture.initialised(Files.createDirectories(dir.resolve("token")));
        Cmd.Result r = token.cmd(program.toString(), token.module().toString(), TokenFixture.LABEL, TokenFixture.USER_PIN)
                .timeout(Duration.ofMinutes(3)).run();
        System.out.println(r.describe());
        assertFalse(r.timedOut(), r.describe());
        assertTrue(r.output().contains(" passed, 0 failed"), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
    }
}
