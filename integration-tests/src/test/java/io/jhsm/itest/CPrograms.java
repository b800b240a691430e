package io.jhsm.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The C test programs under src/test/c, built with gcc into target/ as the tests need them. */
final class CPrograms {
    private CPrograms() { }

    static String source(String name) {
        return ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/c").resolve(name).toString();
    }

    /** gcc with every warning an error; {@code args} are sources, include paths and libraries. */
    static Path gcc(String output, String... args) throws IOException {
        Path out = Files.createDirectories(ModuleUnderTest.repoRoot().resolve("integration-tests/target")).resolve(output);
        Cmd.of("gcc", "-std=c11", "-D_DEFAULT_SOURCE", "-Wall", "-Wextra", "-Werror", "-O1", "-o", out.toString())
                .args(args).run().assertOk("gcc " + output);
        return out;
    }
}
