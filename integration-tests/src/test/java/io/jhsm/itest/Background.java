package io.jhsm.itest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A long-running child (a server, an interactive client) whose output we can wait on; always closed by the test. */
final class Background implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final OutputStream stdin;

    private Background(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = process.getOutputStream();
    }

    static Background start(String name, Cmd cmd, Path log) {
        try {
            return new Background(name, cmd.start(log), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** True when the process ended within {@code timeout}. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "<no output: " + e + ">";
        }
    }

    void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError(name + " no longer reads its input:\n" + output(), e);
        }
    }

    /** Waits until the output contains {@code needle}; fails with the output if it does not in time. */
    void awaitOutput(String needle, Duration timeout, String why) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(needle)) return;
            if (!process.isAlive() && !output().contains(needle)) break;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError(why + ": " + name + " did not print '" + needle + "'"
                + (process.isAlive() ? " in " + timeout.toSeconds() + " s" : " before it exited") + ":\n" + output());
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) { }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
