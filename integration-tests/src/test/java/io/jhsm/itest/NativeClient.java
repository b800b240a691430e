package io.jhsm.itest;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM-free network client {@code dist/libjhsm-client.so} (issue 18), the module the forking-server tests load:
 * {@code -Djhsm.client.module=PATH} overrides it (pointed at dist/libjhsm.so, the same tests show the JVM module's
 * refusal in a fork()ed child, proving they reach the child's first PKCS#11 call). Missing is a failure, never a skip.
 */
final class NativeClient {
    private NativeClient() { }

    static Path module() {
        String configured = System.getProperty("jhsm.client.module");
        Path module = configured == null || configured.isBlank()
                ? ModuleUnderTest.repoRoot().resolve("dist/libjhsm-client.so")
                : Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(module)) {
            throw new AssertionError("the native client " + module + " is missing: build it with"
                    + " mvn -B -ntp -pl native-client compile (make in native-client/src/main/c)");
        }
        return module;
    }
}
