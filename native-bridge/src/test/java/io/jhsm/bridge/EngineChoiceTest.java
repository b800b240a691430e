package io.jhsm.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.InitializeArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module runs the engine in process unless JHSM_CONF names hsms; in process, no network class is loaded. */
class EngineChoiceTest {
    @TempDir
    Path dir;

    private Path conf(String text) throws Exception {
        Path f = dir.resolve("jhsm.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void hsmsInTheConfigurationSelectTheNetworkClient() throws Exception {
        Path network = conf("hsms = 127.0.0.1:2223\nhsm-ca-cert = ca.crt\n");
        assertEquals(Module.NETWORK_ENGINE, Module.engineClassName(null, Map.of("JHSM_CONF", network.toString())));
        assertEquals("x.Mine", Module.engineClassName(null, Map.of("JHSM_CONF", network.toString(), "JHSM_ENGINE", "x.Mine")),
                "an explicit JHSM_ENGINE wins");
        assertEquals("y.Prop", Module.engineClassName("y.Prop", Map.of("JHSM_CONF", network.toString())));
    }

    @Test
    void aDirectoryOrNoConfigurationKeepsTheEngineInProcess() throws Exception {
        Path local = conf("directory = " + dir + "\n");
        assertEquals(Module.DEFAULT_ENGINE, Module.engineClassName(null, Map.of("JHSM_CONF", local.toString())));
        assertEquals(Module.DEFAULT_ENGINE, Module.engineClassName(null, Map.of()));
    }

    /** A child JVM with -verbose:class: C_Initialize/C_Finalize in process loads no io.grpc class and not the client. */
    @Test
    void inProcessModeLoadsNoNetworkClass() throws Exception {
        Path local = conf("directory = " + dir.resolve("tokens") + "\n");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-verbose:class",
                "-cp", System.getProperty("java.class.path"), InProcessCycle.class.getName()).redirectErrorStream(true);
        pb.environment().put("JHSM_CONF", local.toString());
        pb.environment().remove("JHSM_ENGINE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child hung");
        assertEquals(0, p.exitValue(), out);
        List<String> loaded = out.lines().filter(l -> l.startsWith("[") && l.contains("class,load")).toList();
        assertTrue(loaded.stream().anyMatch(l -> l.contains("io.jhsm.engine.Engine ")), "the engine ran in process");
        assertFalse(loaded.stream().anyMatch(l -> l.contains(" io.grpc.") || l.contains("RemoteCryptoki")),
                () -> String.join("\n", loaded.stream().filter(l -> l.contains("grpc") || l.contains("Remote")).toList()));
    }

    /** The child: one module lifecycle through the bridge's Module, as libjhsm.so drives it. */
    public static final class InProcessCycle {
        public static void main(String[] args) {
            Module.initialize(InitializeArgs.NONE);
            Module.engine().C_GetSlotList(false);
            Module.finalizeModule();
            System.out.println("CYCLE DONE");
        }
    }
}
