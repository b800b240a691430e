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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A C host (src/test/c/signal_host.c) that, like a cmocka test program, installs its own SIGSEGV, SIGBUS,
 * SIGFPE and SIGILL handlers after loading the module, around each of 11 tests of 2000 rounds of random, HMAC
 * and search calls. The JVM's deliberate faults (safepoint polls, implicit null checks) must still reach the
 * JVM, and a real fault in the host's own code must still reach the host's handler. Without signal chaining
 * the first test dies in C_Sign.
 */
class HostSignalHandlerTest {
    @TempDir Path dir;

    @Test
    void aHostThatInstallsCrashHandlersAfterLoadingTheModuleKeepsWorkingAndKeepsCatchingItsOwnFaults() throws IOException {
        assertAllTestsPass(host("signal_host").run());
    }

    /** Built as strict C, the host's signal() is glibc's __sysv_signal, which libjsig itself does not cover. */
    @Test
    void aStrictCHostWhoseSignalIsSysvSignalKeepsWorking() throws IOException {
        assertAllTestsPass(host("signal_host_strict", "-U_DEFAULT_SOURCE", "-D_POSIX_C_SOURCE=200809L").run());
    }

    /** The shim sees libjsig already interposed and leaves it to the dynamic linker. */
    @Test
    void aHostThatPreloadsLibjsigItselfKeepsWorking() throws IOException {
        Path libjsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        assertTrue(Files.exists(libjsig), "this JDK has no " + libjsig);
        assertAllTestsPass(host("signal_host").env("LD_PRELOAD", libjsig.toString()).env("JHSM_JAVA_HOME", System.getProperty("java.home")).run());
    }

    private Cmd host(String name, String... flags) throws IOException {
        Path program = gcc(name, Stream.concat(Stream.of(flags),
                Stream.of("-I/usr/include/p11-kit-1", source("signal_host.c"), "-ldl")).toArray(String[]::new));
        TokenFixture token = TokenFixture.initialised(Files.createDirectories(dir.resolve("token")));
        // The working directory is where a crashing JVM would leave its hs_err file.
        return token.cmd(program.toString(), token.module().toString(), TokenFixture.LABEL, TokenFixture.USER_PIN)
                .in(dir).timeout(Duration.ofMinutes(3));
    }

    private void assertAllTestsPass(Cmd.Result r) throws IOException {
        System.out.println(r.describe());
        assertFalse(r.timedOut(), "hung:\n" + r.describe());
        assertFalse(r.output().contains("| FAIL"), r.describe());
        assertTrue(r.output().contains("the host's handler caught a fault in host code | PASS"), r.describe());
        assertTrue(r.output().contains("12 tests, 0 failed"), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")), "the JVM crashed");
        }
    }
}
