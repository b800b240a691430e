package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-HSM cluster as real processes: cluster up brings up three ACTIVE HSMs under one leader; an HSM killed
 * with SIGKILL is replaced by the supervisor with a new HSM id that serves; cluster down leaves no process behind.
 */
class ClusterProcessTest {
    /** Replacing an HSM starts a JVM, joins, installs a snapshot: bounded, generous on a shared two-core machine. */
    private static final long REPLACE_SECONDS = 240;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aKilledHsmIsReplacedByANewOneAndDownLeavesNoProcess() throws Exception {
        CliFixture cli = new CliFixture(dir);
        Path c = dir.resolve("c");
        try {
            cli.ok("cluster", "up", "--hsms", "3", "--dir", c.toString());
            List<Map<String, Object>> hsms = hsms(cli, c);
            assertEquals(3, hsms.size(), hsms.toString());
            assertTrue(hsms.stream().allMatch(h -> "ACTIVE".equals(h.get("state"))), hsms.toString());
            assertEquals(1, hsms.stream().filter(h -> "LEADER".equals(h.get("raft-role"))).count(), "one leader: " + hsms);
            assertTrue(Supervisor.running(c).isPresent(), () -> "cluster up started the supervisor; " + supervisorProcess(c)
                    + "; its log:\n" + log(c));

            String victim = (String) hsms.stream().filter(h -> !"LEADER".equals(h.get("raft-role"))).findFirst().orElseThrow().get("hsm-id");
            cli.ok("cluster", "fault", "--dir", c.toString(), "--hsm-id", victim, "kill");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REPLACE_SECONDS);
            String replacement = null;
            while (System.nanoTime() < deadline && replacement == null) {
                ClusterFile f = ClusterFile.read(c);
                replacement = f.find(victim).filter(m -> ClusterFile.REPLACED.equals(m.status())).map(ClusterFile.Member::replacedBy).orElse(null);
                Thread.sleep(1000);
            }
            assertTrue(replacement != null, "the supervisor replaced " + victim + " within " + REPLACE_SECONDS + " s:\n"
                    + log(c));
            assertNotEquals(victim, replacement);
            List<Map<String, Object>> after = hsms(cli, c);
            List<Object> ids = after.stream().map(h -> h.get("hsm-id")).toList();
            assertTrue(ids.contains(replacement) && !ids.contains(victim), after.toString());
            assertTrue(after.stream().allMatch(h -> "ACTIVE".equals(h.get("state"))), after.toString());
        } finally {
            List<Long> pids = new ArrayList<>();
            if (ClusterFile.exists(c)) {
                ClusterFile.read(c).hsms().forEach(m -> pids.add(m.pid()));
            }
            Supervisor.running(c).ifPresent(h -> pids.add(h.pid()));
            cli.run("cluster", "down", "--dir", c.toString());
            List<Long> alive = pids.stream().filter(p -> p > 0 && ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).toList();
            alive.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly)); // nothing is left running, even on failure
            assertEquals(List.of(), alive, "cluster down leaves no HSM or supervisor process");
            assertFalse(Supervisor.running(c).isPresent());
        }
    }

    private static String supervisorProcess(Path c) {
        try {
            long pid = Long.parseLong(Files.readString(c.resolve(Supervisor.PID)).strip());
            return "pid " + pid + " " + ProcessHandle.of(pid).map(h -> (h.isAlive() ? "alive " : "dead ")
                    + h.info().commandLine().map(l -> l.substring(Math.max(0, l.length() - 200))).orElse("?")).orElse("gone");
        } catch (java.io.IOException | NumberFormatException e) {
            return "no pid file: " + e;
        }
    }

    private static String log(Path c) {
        try {
            return Files.readString(c.resolve(Supervisor.LOG));
        } catch (java.io.IOException e) {
            return "(no supervisor log: " + e + ")";
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> hsms(CliFixture cli, Path c) {
        return (List<Map<String, Object>>) cli.ok("cluster", "status", "--dir", c.toString(), "--json").data().get("hsms");
    }
}
