package io.jhsm.itest;

import static io.jhsm.itest.CPrograms.gcc;
import static io.jhsm.itest.CPrograms.source;
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
 * A plain C consumer (src/test/c/hostile.c) calls every function of the PKCS#11 3.0 list with hostile input:
 * before C_Initialize, after C_Finalize, invalid slots, closed sessions, NULL pointers, stale object handles,
 * wrong operation state, lying templates and mechanism parameters, short buffers, sensitive attributes. Each
 * CK_RV must be one the base specification lists; the process must neither crash nor hang (the program's
 * own watchdog ends a hung call, and the Cmd timeout backs it up).
 */
class HostileInputTest {
    @TempDir Path dir;

    @Test
    void hostileInputThroughTheCAbiGetsTheSpecifiedErrorWithoutCrashOrHang() throws IOException {
        Path program = compile();
        TokenFixture token = TokenFixture.initialised(Files.createDirectories(dir.resolve("token")));
        Cmd cmd = token.cmd(program.toString(), token.module().toString(), TokenFixture.LABEL, TokenFixture.USER_PIN)
                .timeout(Duration.ofMinutes(5));
        // SoftHSMv2's known deviations are printed as SKIP with the reason, never counted as a pass.
        if (ModuleUnderTest.isSoftHsm()) cmd.env("HOSTILE_SOFTHSM", "1");
        Cmd.Result r = cmd.run();
        // SoftHSMv2 2.6 offers only the 68 functions of 2.40; the module under test must offer all 92 of 3.0.
        assertEveryFunctionSweptCleanly(r, ModuleUnderTest.isSoftHsm() ? 250 : 400);
    }

    /** The run finished with no failed check, no hang and more than {@code minPasses} passed checks. */
    static void assertEveryFunctionSweptCleanly(Cmd.Result r, long minPasses) {
        System.out.println(r.describe());   // one line per check, kept in the surefire report
        assertFalse(r.timedOut(), "hung:\n" + r.describe());
        assertFalse(r.output().contains("HANG:"), "a call hung:\n" + r.describe());
        assertTrue(r.output().contains(" checks, 0 failed"), "the run did not finish cleanly:\n" + r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        long passes = r.output().lines().filter(l -> l.endsWith("| PASS")).count();
        assertTrue(passes > minPasses, "every function swept (" + passes + " checks passed):\n" + r.describe());
    }

    @Test
    void aCallThatNeverReturnsFailsTheRunThroughTheWatchdog() throws IOException {
        Path program = compile();
        Path module = gcc("libhanging.so", "-shared", "-fPIC", source("hanging_module.c"));
        Cmd.Result r = Cmd.of(program.toString(), module.toString(), "any", "any")
                .env("HOSTILE_WATCHDOG_SECONDS", "2").timeout(Duration.ofSeconds(60)).run();
        assertFalse(r.timedOut(), "the watchdog did not fire:\n" + r.describe());
        assertEquals(100, r.exitCode(), r.describe());
        assertTrue(r.output().contains("HANG: C_Finalize | before C_Initialize"), r.describe());
    }

    /** gcc builds the program into target/, against p11-kit's PKCS#11 header (libp11-kit-dev). */
    static Path compile() throws IOException {
        return gcc("hostile", "-I/usr/include/p11-kit-1", source("hostile.c"), source("hostile_cases.c"), "-ldl");
    }
}
