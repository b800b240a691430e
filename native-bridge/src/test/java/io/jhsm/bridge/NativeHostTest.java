package io.jhsm.bridge;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * libjhsm.so in a process with no JVM (src/test/c/native_host.c): the shim must start one. The
 * library is copied into a directory of its own, with no jhsm.jar beside it, so the classes come
 * from this build (JHSM_CLASSPATH) and not from a dist/jhsm.jar left by an earlier package.
 */
class NativeHostTest {
    static final Path WORK = Path.of("target/native-host").toAbsolutePath();
    static final Path HOST = WORK.resolve("native_host");
    static final Path LIB = WORK.resolve("libjhsm.so");

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/include/p11-kit-1/p11-kit/pkcs11.h")), "p11-kit headers needed for the C host");
        Files.createDirectories(WORK);
        Files.copy(ModuleClient.DIST.resolve("libjhsm.so"), LIB, StandardCopyOption.REPLACE_EXISTING);
        Process cc = new ProcessBuilder("gcc", "-O2", "-Wall", "-I/usr/include/p11-kit-1", "-o", HOST.toString(),
                "src/test/c/native_host.c", "-ldl").inheritIO().start();
        assertEquals(0, cc.waitFor());
    }

    @ParameterizedTest
    @ValueSource(strings = {"build", "/usr/lib/jvm/temurin-25-jdk-amd64"})
    void bootsAJvmSurvivesForkAndCycles(String javaHome) throws Exception {
        String home = javaHome.equals("build") ? System.getProperty("java.home") : javaHome;
        assumeTrue(Files.exists(Path.of(home, "lib/server/libjvm.so")), "no JDK at " + home);
        ProcessBuilder pb = new ProcessBuilder(HOST.toString(), LIB.toString(), "1000000").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", home);
        pb.environment().put("JHSM_ENGINE", RecordingCryptoki.class.getName());
        pb.environment().put("JHSM_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().remove("JHSM_JAVA_HOME");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "native host hung");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("jhsm native host (JAVA_HOME=" + home + "):\n" + out.indent(2));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.contains("INFO 3.0|jhsm test" + " ".repeat(23) + "|recording double" + " ".repeat(16)), out);
        assertTrue(lines.contains("SESSION 7 3 6"), out);
        assertTrue(lines.contains("FORK_CHILD ok"), out);
        assertTrue(lines.contains("PARENT_SLOTS 3"), out);
        assertTrue(out.contains("p11-kit server"), "the forked child's C_Initialize explains itself");
        assertTrue(lines.contains("DONE"), out);
    }
}
