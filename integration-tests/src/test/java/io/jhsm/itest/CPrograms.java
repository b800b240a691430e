package io.jhsm.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The C consumers in src/test/c, built by gcc into target/ (against p11-kit's PKCS#11 header, libp11-kit-dev). */
final class CPrograms {
    private CPrograms() {}

    /** A one-file PKCS#11 consumer: src/test/c/NAME.c, built as target/NAME. */
    static Path consumer(String name) throws IOException {
        return gcc(name, "-I/usr/include/p11-kit-1", source(name + ".c"), "-ldl");
    }

    /** A one-file C example: examples/DIR/FILE.c, built as target/DIR-FILE like {@link #consumer}. */
    static Path example(String dir, String file) throws IOException {
        return gcc(dir + "-" + file, "-I/usr/include/p11-kit-1",
                ModuleUnderTest.repoRoot().resolve("examples").resolve(dir).resolve(file + ".c").toString(), "-ldl");
    }

    static String source(String name) {
        return ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/c").resolve(name).toString();
    }

    static Path gcc(String output, String... args) throws IOException {
        Path out = Files.createDirectories(ModuleUnderTest.repoRoot().resolve("integration-tests/target")).resolve(output);
        Cmd.of("gcc", "-std=c11", "-D_DEFAULT_SOURCE", "-Wall", "-Wextra", "-Werror", "-O1", "-o", out.toString())
                .args(args).run().assertOk("gcc " + output);
        return out;
    }
}
