package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a short-lived consumer's start costs beyond the JVM's own: nothing its first calls do not need. Observed
 * through the JVM's logs (JHSM_JAVA_OPTS), never through timings.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the JVM start is jhsm's")
class ColdStartTest {
    @TempDir Path dir;

    @BeforeEach
    void token() throws IOException {
        Files.writeString(dir.resolve("jhsm.conf"), "directory = " + dir.resolve("tokens") + "\nslots = 1\n");
    }

    @Test
    void jnasNativePartIsLoadedFromBesideTheModuleNotUnpackedAtEachStart() {
        pkcs11Tool("-Djna.debug_load=true", "--show-info")
                .assertOutputLacks("Extracting library", "JNA's libjnidispatch.so comes from dist/, not the jar");
    }

    /**
     * With a temporary directory that cannot exist (under a file) ACCP cannot extract its bundled library, so it
     * runs only if it is loaded
     * from beside the module (where extracting at every start also left 9.6 MB files behind when a process exited
     * during the background load).
     */
    @Test
    void accpsNativeLibraryIsLoadedFromBesideTheModuleNotExtractedAtEachStart() throws IOException {
        Path log = dir.resolve("jhsm.log");
        Map<String, String> env = Map.of("JHSM_CONF", dir.resolve("jhsm.conf").toString(),
                "JHSM_JAVA_OPTS", "-Djava.io.tmpdir=" + dir.resolve("jhsm.conf").resolve("tmp"), "JHSM_LOG", log.toString(),
                "JHSM_LOG_LEVEL", "info");
        String module = ModuleUnderTest.path().toString();
        Cmd.of("pkcs11-tool", "--module", module, "--init-token", "--label", "cold", "--so-pin", "12345678").env(env).run()
                .assertOk("C_InitToken");
        Cmd.of("pkcs11-tool", "--module", module, "--login", "--login-type", "so", "--so-pin", "12345678", "--init-pin",
                "--new-pin", "1234").env(env).run().assertOk("C_InitPIN");
        Cmd.of("pkcs11-tool", "--module", module, "--login", "--pin", "1234", "--keypairgen", "--key-type", "EC:prime256v1")
                .env(env).run().assertOk("an EC key pair, which ACCP makes when it runs");
        String lines = Files.readString(log);
        assertTrue(lines.contains("crypto backend") && lines.contains("accp "),
                "ACCP ran without a temporary directory to extract into:\n" + lines);
        assertFalse(lines.contains("could not load"), "no process fell back to the portable code:\n" + lines);
    }

    @Test
    void cInitializeSetsUpNoJcaProviderOrRandomGenerator() throws IOException {
        Path log = dir.resolve("class-load.log");
        // p11bench --cold: a new process that loads the module, calls C_Initialize and C_Finalize, nothing else.
        Path module = ModuleUnderTest.path();
        Cmd.of(module.resolveSibling("p11bench").toString(), "--cold", module.toString())
                .env(Map.of("JHSM_CONF", dir.resolve("jhsm.conf").toString(),
                        "JHSM_JAVA_OPTS", "-Xlog:class+load=info:file=" + log))
                .run().assertOk("p11bench --cold");
        String classes = Files.readString(log);
        assertFalse(classes.contains("sun.security.jca.ProviderList "),
                "C_Initialize set up the JCA provider list (the mechanism table's digests, the random generators)");
        assertFalse(classes.contains("java.security.SecureRandom "), "a SecureRandom was made for nothing");
    }

    private Cmd.Result pkcs11Tool(String javaOptions, String... args) {
        Cmd cmd = Cmd.of("pkcs11-tool", "--module", ModuleUnderTest.path().toString()).args(args)
                .env(Map.of("JHSM_CONF", dir.resolve("jhsm.conf").toString(), "JHSM_JAVA_OPTS", javaOptions));
        return cmd.run().assertOk("pkcs11-tool " + String.join(" ", args))
                .assertOutputContains("jhsm simulated HSM", "the module answered");
    }
}
