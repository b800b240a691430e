package io.jhsm.conformance.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on this JVM's class path, running a main class of the suite: rules that may crash the module's
 * host (C ABI probes, concurrency) or need processes of their own run there. Output (stdout and stderr) is read
 * as it comes, so a hung child is still stopped at the timeout; a JVM crash log goes to the temp directory.
 */
public final class ChildJvm {
    private final Process process;
    private final CompletableFuture<String> output;

    /** What the child printed and how it ended. */
    public record Result(int exit, String output) {
        public String tail() {
            return output.length() <= 2000 ? output : output.substring(output.length() - 2000);
        }
    }

    private ChildJvm(Process process) {
        this.process = process;
        this.output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    public static ChildJvm start(Class<?> main, Map<String, String> env, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "jhsm-conformance-hs_err_%p.log"),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            return new ChildJvm(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the child; kills it and fails when it runs longer than {@code seconds}. */
    public Result await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the child process " + process.pid() + " hung for " + seconds + " s");
        }
        return new Result(process.exitValue(), output.join());
    }

    public void kill() {
        process.destroyForcibly();
    }
}
