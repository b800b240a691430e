package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Go program (src/test/go/gohost.go, cgo, standard library only) uses the module from four goroutines. Go's
 * runtime installs its signal handlers first, with SA_ONSTACK, and aborts if one of them is entered off the
 * signal stack; the JVM's SIGSEGV handler replaces Go's and chains to it, so a nil dereference in Go code must
 * still end as a panic that recover() sees instead of "non-Go code set up signal handler without SA_ONSTACK
 * flag". Needs Debian's golang-go (scripts/test.sh installs it); nothing is downloaded.
 */
class GoHostTest {
    @TempDir Path dir;

    @Test
    void aGoProgramCallsTheModuleFromGoroutinesAndStillRecoversFromItsOwnNilDereference() throws IOException {
        assumeTrue(Cmd.of("go", "version").run().ok(), "no Go toolchain (Debian package golang-go)");
        Path program = Files.createDirectories(ModuleUnderTest.repoRoot().resolve("integration-tests/target")).resolve("gohost");
        Cmd.of("go", "build", "-o", program.toString(), ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/go/gohost.go").toString())
                .env("GOCACHE", dir.resolve("gocache").toString()).env("GOPATH", dir.resolve("gopath").toString())
                .env("GOPROXY", "off").env("GOFLAGS", "-mod=mod").env("CGO_ENABLED", "1")
                .timeout(Duration.ofMinutes(5)).run().assertOk("go build gohost.go");
        TokenFixture token = TokenFixture.initialised(Files.createDirectories(dir.resolve("token")));
        Cmd.Result r = token.cmd(program.toString(), token.module().toString(), "20000")
                .in(dir).timeout(Duration.ofMinutes(3)).run();
        System.out.println(r.describe());

        assertFalse(r.timedOut(), "hung:\n" + r.describe());
        assertFalse(r.output().contains("without SA_ONSTACK"), r.describe());
        assertTrue(r.output().contains("recovered Go panic: runtime error: invalid memory address or nil pointer dereference"),
                r.describe());
        assertTrue(r.output().contains("go host: 80000 calls on 4 goroutines OK"), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
    }
}
