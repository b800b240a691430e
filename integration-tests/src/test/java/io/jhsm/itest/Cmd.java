package io.jhsm.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command with a timeout, its stdout and stderr merged into one transcript that every
 * assertion message carries, so a failure in CI explains itself.
 */
public final class Cmd {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private final List<String> argv = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private Path dir;
    private byte[] stdin = new byte[0];
    private Duration timeout = DEFAULT_TIMEOUT;

    private Cmd(List<String> argv) { this.argv.addAll(argv); }

    public static Cmd of(String... argv) { return new Cmd(List.of(argv)); }
    public static Cmd of(List<String> argv) { return new Cmd(argv); }

    public Cmd env(Map<String, String> vars) { env.putAll(vars); return this; }
    public Cmd env(String key, String value) { env.put(key, value); return this; }
    public Cmd in(Path workingDir) { this.dir = workingDir; return this; }
    public Cmd stdin(String text) { this.stdin = text.getBytes(StandardCharsets.UTF_8); return this; }
    public Cmd timeout(Duration t) { this.timeout = t; return this; }
    public Cmd args(String... more) { argv.addAll(List.of(more)); return this; }

    /** Runs to completion (or kills it after the timeout) and returns the transcript. */
    public Result run() {
        Path log = null;
        try {
            log = Files.createTempFile("cmd", ".log");
            Process p = start(log);
            try (var os = p.getOutputStream()) { os.write(stdin); } catch (IOException ignoredEarlyExit) { }
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = Files.readString(log, StandardCharsets.ISO_8859_1);
            return new Result(String.join(" ", argv), done ? p.exitValue() : -1, !done, out);
        } catch (IOException e) {
            throw new AssertionError("could not run " + argv + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + argv, e);
        } finally {
            if (log != null) try { Files.deleteIfExists(log); } catch (IOException ignored) { }
        }
    }

    /** Starts in the background with output going to {@code log}; the caller must stop it. */
    public Process start(Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        if (dir != null) pb.directory(dir.toFile());
        return pb.start();
    }

    /** What a command did: its exit status and everything it printed. */
    public record Result(String command, int exitCode, boolean timedOut, String output) {
        public boolean ok() { return exitCode == 0 && !timedOut; }

        public String describe() {
            return "$ " + command + "\n" + (timedOut ? "[TIMED OUT]\n" : "[exit " + exitCode + "]\n") + output;
        }

        /** Fails the test, with the transcript, unless the command exited 0. */
        public Result assertOk(String what) {
            if (!ok()) throw new AssertionError(what + " failed:\n" + describe());
            return this;
        }

        /** Fails the test, with the transcript, unless the command failed (exited non-zero, in time). */
        public Result assertFails(String what) {
            if (exitCode == 0 || timedOut) throw new AssertionError(what + " should have failed:\n" + describe());
            return this;
        }

        public Result assertOutputContains(String needle, String what) {
            if (!output.contains(needle))
                throw new AssertionError(what + ": expected output to contain '" + needle + "':\n" + describe());
            return this;
        }

        public Result assertOutputLacks(String needle, String what) {
            if (output.contains(needle))
                throw new AssertionError(what + ": expected output without '" + needle + "':\n" + describe());
            return this;
        }
    }
}
