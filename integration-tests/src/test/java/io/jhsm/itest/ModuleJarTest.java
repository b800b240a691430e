package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * dist/jhsm-module.jar, the jar libjhsm.so boots its JVM from, holds what the PKCS#11 module runs (bridge, engine,
 * the network client of JHSM_CONF's remote mode and their libraries) and none of the cluster node, Ratis,
 * Micrometer or the CLI, which only dist/jhsm.jar needs: every class there is more for the JVM to index at the
 * cold start of every consumer.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the module jar is jhsm's")
class ModuleJarTest {
    private static final List<String> NOT_THE_MODULES = List.of("io/jhsm/node/", "org/apache/ratis/", "io/micrometer/",
            "picocli/", "io/jhsm/cli/", "io/jhsm/conformance/", "org/junit/");
    private static final List<String> WHAT_THE_MODULE_RUNS = List.of("io/jhsm/bridge/NativeBoot.class",
            "io/jhsm/engine/Engine.class", "io/jhsm/client/RemoteCryptoki.class", "com/sun/jna/Native.class",
            "org/bouncycastle/jce/provider/BouncyCastleProvider.class");

    private static Path moduleJar() {
        return ModuleUnderTest.path().resolveSibling("jhsm-module.jar");
    }

    @Test
    void theModuleJarHasNoClusterNodeRatisMicrometerOrCliClass() throws IOException {
        try (ZipFile jar = new ZipFile(moduleJar().toFile())) {
            List<String> strays = jar.stream().map(ZipEntry::getName)
                    .filter(name -> NOT_THE_MODULES.stream().anyMatch(name::startsWith)).limit(10).toList();
            assertEquals(List.of(), strays, "classes only the CLI's jhsm.jar needs, in " + moduleJar());
        }
    }

    @Test
    void theModuleJarHasTheBridgeTheEngineAndTheNetworkClient() throws IOException {
        try (ZipFile jar = new ZipFile(moduleJar().toFile())) {
            for (String entry : WHAT_THE_MODULE_RUNS) {
                assertTrue(jar.getEntry(entry) != null, entry + " in " + moduleJar());
            }
        }
    }
}
