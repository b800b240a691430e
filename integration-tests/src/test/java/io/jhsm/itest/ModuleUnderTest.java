package io.jhsm.itest;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PKCS#11 module these tests drive: {@code -Djhsm.module=PATH}, by default {@code <repo>/dist/libjhsm.so}.
 * A missing module is a failure, never a skip: CI must not go green without having tested anything.
 */
public final class ModuleUnderTest {
    private ModuleUnderTest() { }

    public static Path repoRoot() {
        return Path.of(System.getProperty("jhsm.repo", "..")).toAbsolutePath().normalize();
    }

    /** The module path; throws an AssertionError that fails the test if the file is not there. */
    public static Path path() {
        String configured = System.getProperty("jhsm.module");
        Path module = configured == null || configured.isBlank()
                ? repoRoot().resolve("dist/libjhsm.so")
                : Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(module)) {
            throw new AssertionError("PKCS#11 module under test not found: " + module
                    + "\n  Build it first (mvn -B package, which leaves dist/libjhsm.so) or choose another module"
                    + " with -Djhsm.module=PATH (scripts/test.sh --module PATH).");
        }
        return module;
    }

    /** True when the module is SoftHSMv2, the reference token these tests were first proven against. */
    public static boolean isSoftHsm() {
        return path().getFileName().toString().contains("softhsm");
    }
}
