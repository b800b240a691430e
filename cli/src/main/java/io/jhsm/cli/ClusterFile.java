package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * DIR/cluster.json: the HSMs {@code cluster up}, the supervisor and {@code add-hsm}/{@code remove-hsm} made, for
 * the other cluster commands. Each HSM has its id, AZ, directory (relative to DIR), addresses and process id, and
 * a status: {@code member} (in the Raft group), {@code joining} (being added), {@code removed} (taken out by
 * remove-hsm), {@code replaced} (it died and the supervisor replaced it, {@code replaced-by}) or {@code failed}. Changes go through {@link #update}, under a file lock,
 * written to a temporary file and moved into place, so the supervisor and a command never lose each other's change.
 */
record ClusterFile(String clusterId, List<Member> hsms) {
    static final String FILE = "cluster.json";
    private static final String LOCK = "cluster.lock";
    static final String MEMBER = "member";
    static final String REMOVED = "removed";
    static final String REPLACED = "replaced";
    /** Provisioned and starting, not yet added to the Raft group: the supervisor leaves it alone. */
    static final String JOINING = "joining";
    /** Its start or its addition failed; its node was stopped. */
    static final String FAILED = "failed";

    record Member(String hsmId, String az, String dir, String address, String raftAddress, String metricsAddress, long pid,
                  String status, String replacedBy) {
        boolean isMember() {
            return MEMBER.equals(status);
        }

        Member withStatus(String s, String by) {
            return new Member(hsmId, az, dir, address, raftAddress, metricsAddress, pid, s, by);
        }

        Member withPid(long p) {
            return new Member(hsmId, az, dir, address, raftAddress, metricsAddress, p, status, replacedBy);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hsm-id", hsmId);
            m.put("az", az);
            m.put("dir", dir);
            m.put("address", address);
            m.put("raft-address", raftAddress);
            m.put("metrics-address", metricsAddress);
            m.put("pid", pid);
            m.put("status", status);
            if (replacedBy != null) {
                m.put("replaced-by", replacedBy);
            }
            return m;
        }

        static Member fromJson(Map<?, ?> m) {
            return new Member(text(m, "hsm-id"), text(m, "az"), text(m, "dir"), text(m, "address"), text(m, "raft-address"),
                    text(m, "metrics-address"), m.get("pid") instanceof Long l ? l : -1, text(m, "status"),
                    m.get("replaced-by") == null ? null : text(m, "replaced-by"));
        }

        private static String text(Map<?, ?> m, String key) {
            Object v = m.get(key);
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException("an HSM entry lacks \"" + key + "\"");
            }
            return s;
        }
    }

    ClusterFile {
        hsms = List.copyOf(hsms);
    }

    List<Member> members() {
        return hsms.stream().filter(Member::isMember).toList();
    }

    Optional<Member> find(String hsmId) {
        return hsms.stream().filter(h -> h.hsmId().equals(hsmId)).findFirst();
    }

    /** The member with this id, or a BAD_INPUT naming the ids there are. */
    Member member(String hsmId) {
        return find(hsmId).filter(Member::isMember).orElseThrow(() -> new HsmException(HsmException.Code.BAD_INPUT,
                "no HSM " + hsmId + " in the cluster; its HSMs are " + members().stream().map(Member::hsmId).toList()));
    }

    ClusterFile with(Member changed) {
        List<Member> next = new ArrayList<>();
        boolean found = false;
        for (Member m : hsms) {
            if (m.hsmId().equals(changed.hsmId())) {
                next.add(changed);
                found = true;
            } else {
                next.add(m);
            }
        }
        if (!found) {
            next.add(changed);
        }
        return new ClusterFile(clusterId, next);
    }

    /** The --peers value of the members: ID=RAFT=CLIENT,… */
    String peers() {
        return String.join(",", members().stream().map(m -> m.hsmId() + "=" + m.raftAddress() + "=" + m.address()).toList());
    }

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster-id", clusterId);
        m.put("hsms", hsms.stream().map(Member::toJson).toList());
        return Json.write(m) + "\n";
    }

    static ClusterFile fromJson(String text) {
        Map<String, Object> m = Json.readObject(text);
        if (!(m.get("hsms") instanceof List<?> list)) {
            throw new IllegalArgumentException("no \"hsms\" list");
        }
        List<Member> hsms = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> h)) {
                throw new IllegalArgumentException("an HSM entry is not an object");
            }
            hsms.add(Member.fromJson(h));
        }
        return new ClusterFile(m.get("cluster-id") instanceof String s ? s : "", hsms);
    }

    static boolean exists(Path dir) {
        return Files.exists(dir.resolve(FILE));
    }

    static ClusterFile read(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            return fromJson(Files.readString(f));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new HsmException(HsmException.Code.STATE, "no cluster in " + dir + " (no " + FILE + "): start one with jhsm cluster up --dir " + dir);
        } catch (IOException e) {
            throw new HsmException(HsmException.Code.STATE, "cannot read " + f + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new HsmException(HsmException.Code.STATE, f + " is damaged: " + e.getMessage());
        }
    }

    /** Reads, changes and writes DIR/cluster.json under the cluster's lock; answers what was written. */
    static ClusterFile update(Path dir, UnaryOperator<ClusterFile> change) {
        try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            ClusterFile next = change.apply(exists(dir) ? read(dir) : new ClusterFile("", List.of()));
            write(dir, next);
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + dir.resolve(FILE), e);
        }
    }

    private static void write(Path dir, ClusterFile file) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.writeString(tmp, file.toJson());
        try {
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
