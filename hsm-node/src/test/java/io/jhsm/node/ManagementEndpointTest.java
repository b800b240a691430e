package io.jhsm.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.jhsm.engine.config.Config;
import io.jhsm.protocol.v1.CommandRequest;
import io.jhsm.protocol.v1.CommandResponse;
import io.jhsm.protocol.v1.FileContent;
import io.jhsm.protocol.v1.NodeDescription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a forwarded command may see and leave on the node: its own scratch directory, a narrow environment, bounded output. */
class ManagementEndpointTest {
    @TempDir
    Path node;

    private CommandResponse run(CommandRunner runner, CommandRequest request) {
        return new ManagementEndpoint(new Config(node, 1), runner, NodeDescription::getDefaultInstance).execute(request);
    }

    @Test
    void theCommandSeesOnlyThePinAndRoleFromTheRequestAndTheNodesOwnConfiguration() throws Exception {
        Map<String, String> seen = new HashMap<>();
        AtomicReference<String> conf = new AtomicReference<>();
        run((args, env, work, out, err) -> {
            seen.putAll(env);
            conf.set(readQuietly(Path.of(env.get("JHSM_CONF"))));
            return 0;
        }, CommandRequest.newBuilder().addArgs("user").addArgs("list").putEnv("CLOUDHSM_PIN", "admin:pw").putEnv("CLOUDHSM_ROLE", "admin")
                .putEnv("JHSM_CONF", "/etc/elsewhere.conf").putEnv("LD_PRELOAD", "/tmp/evil.so").build());
        assertEquals("admin:pw", seen.get("CLOUDHSM_PIN"));
        assertEquals("admin", seen.get("CLOUDHSM_ROLE"));
        assertFalse(seen.containsKey("LD_PRELOAD"));
        assertTrue(conf.get().contains("directory = " + node.toAbsolutePath()), "the node's directory, not the client's: " + conf.get());
    }

    @Test
    void inputsLandInTheScratchDirectoryOutputsComeBackAndNothingStays() {
        AtomicReference<Path> scratch = new AtomicReference<>();
        CommandResponse r = run((args, env, work, out, err) -> {
            scratch.set(work);
            try {
                byte[] in = Files.readAllBytes(work.resolve("jhsm-0/in.txt"));
                Files.write(work.resolve("jhsm-1/out.bin"), in);
                out.println("wrote " + work.resolve("jhsm-1/out.bin"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return 0;
        }, CommandRequest.newBuilder().addInputs(FileContent.newBuilder().setPath("jhsm-0/in.txt").setContent(ByteString.copyFromUtf8("data")))
                .addOutputPaths("jhsm-1/out.bin").build());
        assertEquals(0, r.getExitCode());
        assertEquals("jhsm-1/out.bin", r.getOutputs(0).getPath());
        assertEquals("data", r.getOutputs(0).getContent().toStringUtf8());
        assertEquals("wrote jhsm-1/out.bin\n", r.getStdout().toStringUtf8(), "the scratch directory is not shown to the client");
        assertFalse(Files.exists(scratch.get()), "the scratch directory is deleted");
    }

    @Test
    void aFileNameThatLeavesTheScratchDirectoryIsRefused() {
        for (String name : new String[] {"../escape", "/etc/passwd", "a/../../b", ""}) {
            CommandRequest request = CommandRequest.newBuilder()
                    .addInputs(FileContent.newBuilder().setPath(name).setContent(ByteString.copyFromUtf8("x"))).build();
            assertThrows(IllegalArgumentException.class, () -> run((args, env, work, out, err) -> 0, request), name);
        }
        assertFalse(Files.exists(node.resolveSibling("escape")));
    }

    @Test
    void outputBeyondTheBoundIsCutWithANote() {
        CommandResponse r = run((args, env, work, out, err) -> {
            byte[] line = new byte[1024];
            java.util.Arrays.fill(line, (byte) 'x');
            for (int i = 0; i < 2048; i++) {
                out.write(line, 0, line.length);
            }
            return 0;
        }, CommandRequest.getDefaultInstance());
        String out = r.getStdout().toStringUtf8();
        assertTrue(out.length() < ManagementEndpoint.MAX_STREAM_BYTES + 200, "bounded: " + out.length());
        assertTrue(out.endsWith("more bytes of output left out]\n"), out.substring(out.length() - 80));
    }

    @Test
    void onlyTheCommandsNameIsLoggedNeverItsOptions() {
        assertEquals("'user create'", ManagementEndpoint.commandName(java.util.List.of("user", "create", "--password", "secret-pass")));
        assertEquals("'key list'", ManagementEndpoint.commandName(java.util.List.of("key", "list", "--login=alice:pw")));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
