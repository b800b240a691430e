package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The HSM nodes of {@code cluster up} on this machine: DIR/hsm-N holds a node's tokens, its log
 * (node.log), its process id (node.pid) and its address (node.address). Nodes are {@code jhsm hsm serve}
 * processes started with the same Java command as the running CLI, in a session of their own so they
 * outlive the terminal.
 */
final class LocalNodes {
    static final int FIRST_PORT = 2223;
    private static final int PORTS_TRIED = 100;
    static final String PID = "node.pid";
    static final String LOG = "node.log";
    static final String ADDRESS = "node.address";
    static final String BOOTSTRAP_CERTIFICATE = "hsm-bootstrap.crt";

    private LocalNodes() {}

    static Path nodeDirectory(Path dir, int n) {
        return dir.resolve("hsm-" + n);
    }

    /** The nodes cluster up made under DIR (those with an address), in order. */
    static List<Path> nodes(Path dir) {
        List<Path> found = new ArrayList<>();
        for (int n = 1; Files.isDirectory(nodeDirectory(dir, n)); n++) {
            if (Files.exists(nodeDirectory(dir, n).resolve(ADDRESS))) {
                found.add(nodeDirectory(dir, n));
            }
        }
        return found;
    }

    /** The first loopback port from 2223 nobody listens on. */
    static int firstFreePort() {
        return firstFreePort(FIRST_PORT, java.util.Set.of());
    }

    /** The first loopback port from {@code first} nobody listens on and not in {@code taken} (ports given out but not yet bound). */
    static int firstFreePort(int first, java.util.Set<Integer> taken) {
        for (int port = first; port < first + PORTS_TRIED; port++) {
            if (taken.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException inUse) {
                // next one
            }
        }
        throw new HsmException(HsmException.Code.STATE, "no free loopback port in " + first + ".." + (first + PORTS_TRIED - 1));
    }

    /** Starts {@code jhsm hsm serve} for the node directory in the background; its pid and address are recorded. */
    static ProcessHandle start(Path nodeDir, String address) throws IOException {
        return start(nodeDir, address, List.of());
    }

    /** The same with more {@code hsm serve} options (the cluster's: --hsm-id, --peers …). */
    static ProcessHandle start(Path nodeDir, String address, List<String> options) throws IOException {
        Files.createDirectories(nodeDir);
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("hsm", "serve", "--dir", nodeDir.toString(), "--listen", address));
        cmd.addAll(options);
        Process p = detached(cmd, nodeDir, nodeDir.resolve(LOG));
        Files.writeString(nodeDir.resolve(PID), p.pid() + "\n");
        Files.writeString(nodeDir.resolve(ADDRESS), address + "\n");
        return p.toHandle();
    }

    /** Runs the command in the background in {@code workDir}, its output appended to {@code log}, no terminal input. */
    static Process detached(List<String> cmd, Path workDir, Path log) throws IOException {
        List<String> full = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            full.add("/usr/bin/setsid"); // its own session: closing the terminal does not stop it
        }
        full.addAll(cmd);
        ProcessBuilder b = new ProcessBuilder(full);
        b.environment().remove("JHSM_CONF"); // a node serves its directory; a client.conf in the caller's environment is not its own
        return b.directory(workDir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** This JVM's own command (java, its options, its class path) running the CLI's main class: what dist/jhsm runs. */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A debugger or agent of the CLI (a test run's) is not the node's.
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent") && !option.startsWith("-XX:ArchiveClassesAtExit")) {
                cmd.add(option);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return cmd;
    }

    /** The node's process when its pid file names a live jhsm node. */
    static Optional<ProcessHandle> running(Path nodeDir) {
        Path pidFile = nodeDir.resolve(PID);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(LocalNodes::isNode);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Guards against a recycled pid: the process must be a node (when the system tells its command line). */
    private static boolean isNode(ProcessHandle h) {
        return runs(h, "serve");
    }

    /**
     * Whether the process's command line has this word as an argument. Read from /proc in full: the JDK's
     * Info.commandLine() is cut short for a long class path, which loses the words after it.
     */
    static boolean runs(ProcessHandle h, String word) {
        Path cmdline = Path.of("/proc", Long.toString(h.pid()), "cmdline");
        try {
            return List.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0")).contains(word);
        } catch (IOException noProc) {
            return h.info().commandLine().map(c -> c.contains(word)).orElse(true);
        }
    }

    /** SIGTERM (the node stops cleanly), a bounded wait, then SIGKILL; the pid file goes. True if a node was running. */
    static boolean stop(Path nodeDir) {
        Optional<ProcessHandle> node = running(nodeDir);
        node.ifPresent(h -> {
            h.destroy();
            if (!waitForExit(h, 30)) {
                h.destroyForcibly();
                if (!waitForExit(h, 10)) {
                    throw new HsmException(HsmException.Code.STATE, "node " + nodeDir + " (pid " + h.pid() + ") does not stop, even on SIGKILL");
                }
            }
        });
        try {
            Files.deleteIfExists(nodeDir.resolve(PID));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return node.isPresent();
    }

    private static boolean waitForExit(ProcessHandle h, int seconds) {
        try {
            h.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !h.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.isAlive();
        }
    }

    static String address(Path nodeDir) throws IOException {
        return Files.readString(nodeDir.resolve(ADDRESS)).strip();
    }

    /** The last lines of a node's log, to explain why it did not come up. */
    static String logTail(Path nodeDir) {
        try {
            List<String> lines = Files.readAllLines(nodeDir.resolve(LOG), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
