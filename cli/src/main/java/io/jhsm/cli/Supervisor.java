package io.jhsm.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What AWS does for a CloudHSM cluster when an HSM fails: watches the cluster's HSM processes (DIR/cluster.json,
 * once a second) and replaces one that died with a new HSM (new id, new directory) that joins, installs a snapshot
 * and catches up, then removes the dead one from the Raft group. It runs as {@code jhsm cluster supervise}, detached,
 * its pid in DIR/supervisor.pid and its log in DIR/supervisor.log; {@code cluster down} stops it first.
 */
final class Supervisor {
    static final String PID = "supervisor.pid";
    static final String LOG = "supervisor.log";
    static final long POLL_MILLIS = 1000;
    /**
     * After a failed replacement the next try waits this long, doubled after each further failure up to a minute (a
     * cluster without a majority cannot add an HSM, and each try leaves a failed directory behind for the post-mortem).
     */
    static final long RETRY_MILLIS = 5000;
    static final long MAX_RETRY_MILLIS = 60_000;

    private final Path root;
    private final PrintStream log;
    private volatile boolean stopping;

    Supervisor(Path root, PrintStream log) {
        this.root = root;
        this.log = log;
    }

    void stop() {
        stopping = true;
    }

    /** Until {@link #stop}: one pass a second. */
    void run() {
        line("supervising the cluster in " + root + " (pid " + ProcessHandle.current().pid() + ")");
        ClusterMembers members = new ClusterMembers(root, this::line);
        boolean idleNoted = false;
        int failures = 0;
        while (!stopping) {
            long pause = POLL_MILLIS;
            ClusterFile cluster;
            if (!ClusterFile.exists(root)) {
                // The directory was deleted (a test's temporary directory, rm -rf): nothing is left to supervise,
                // and a supervisor must not outlive its cluster (one did, replacing HSMs into a deleted directory).
                line("the cluster in " + root + " is gone (no cluster.json): the supervisor stops");
                return;
            }
            try {
                cluster = ClusterFile.read(root);
            } catch (RuntimeException e) {
                line("cannot read the cluster (" + e.getMessage() + "); trying again in " + RETRY_MILLIS / 1000 + " s");
                sleep(RETRY_MILLIS);
                continue;
            }
            List<ClusterFile.Member> gone = dead(cluster);
            if (!gone.isEmpty() && gone.size() == cluster.members().size()) {
                // Nothing left to join or to copy the cluster key from: cluster down stopped them, or they all failed.
                if (!idleNoted) {
                    line("no HSM of the cluster runs: nothing to replace them from; waiting (jhsm cluster up --dir " + root + " starts them)");
                    idleNoted = true;
                }
                sleep(pause);
                continue;
            }
            idleNoted = false;
            for (ClusterFile.Member dead : gone) {
                if (stopping) {
                    break;
                }
                line(dead.hsmId() + " (" + dead.dir() + ", pid " + dead.pid() + ") is gone: replacing it");
                long start = System.nanoTime();
                try {
                    ClusterFile.Member fresh = members.replace(dead);
                    failures = 0;
                    line("replaced " + dead.hsmId() + " by " + fresh.hsmId() + " (" + fresh.az() + ", " + fresh.dir() + ", "
                            + fresh.address() + ") in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
                } catch (RuntimeException e) {
                    pause = Math.min(MAX_RETRY_MILLIS, RETRY_MILLIS << Math.min(failures++, 4));
                    line("replacing " + dead.hsmId() + " failed: " + e.getMessage() + "; trying again in " + pause / 1000 + " s");
                    break;
                }
            }
            sleep(pause);
        }
        line("stopped");
    }

    /** Members whose node process has ended (a member never started, pid -1, is not dead). */
    List<ClusterFile.Member> dead(ClusterFile cluster) {
        return cluster.members().stream().filter(m -> m.pid() > 0)
                .filter(m -> ProcessHandle.of(m.pid()).map(h -> !h.isAlive()).orElse(true)).toList();
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    void line(String message) {
        log.println(Instant.now() + " jhsm supervisor: " + message);
        log.flush();
    }

    /** Starts {@code jhsm cluster supervise --dir DIR} in the background; its pid goes to DIR/supervisor.pid. */
    static ProcessHandle startDetached(Path root) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(LocalNodes.javaCommand());
        cmd.addAll(List.of("cluster", "supervise", "--dir", root.toString()));
        Process p = LocalNodes.detached(cmd, root, root.resolve(LOG));
        Files.writeString(root.resolve(PID), p.pid() + "\n");
        return p.toHandle();
    }

    /** The supervisor of DIR while it runs (its pid file names a live supervise process). */
    static Optional<ProcessHandle> running(Path root) {
        try {
            long pid = Long.parseLong(Files.readString(root.resolve(PID)).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> LocalNodes.runs(h, "supervise"));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stops the supervisor of DIR (SIGTERM, then SIGKILL after 30 s); true if one was running. */
    static boolean stopRunning(Path root) {
        Optional<ProcessHandle> s = running(root);
        s.ifPresent(h -> {
            h.destroy();
            h.onExit().completeOnTimeout(h, 30, TimeUnit.SECONDS).join();
            if (h.isAlive()) {
                h.destroyForcibly();
                h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).join();
            }
        });
        try {
            Files.deleteIfExists(root.resolve(PID));
        } catch (IOException e) {
            // a stale pid file is harmless: running() checks the process
        }
        return s.isPresent();
    }
}
