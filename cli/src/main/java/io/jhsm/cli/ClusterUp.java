package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code cluster up --hsms N}: a peer CA, N HSM directories (the first creates the cluster, the others get a copy
 * of its state before any starts, so all begin identical), N {@code hsm serve} processes that form one Raft group,
 * a wait until the group has a leader and every HSM serves, DIR/cluster.json, DIR/client.conf naming every HSM,
 * the quick start through any HSM, and the supervisor. A DIR whose cluster is stopped is started again as it was.
 * Whatever fails leaves nothing running.
 */
final class ClusterUp {
    private final Path root;
    private final PrintStream out;
    private final PrintStream err;

    ClusterUp(Path root, PrintStream out, PrintStream err) {
        this.root = root;
        this.out = out;
        this.err = err;
    }

    /** Starts the cluster (new, or the stopped one DIR holds); answers its members and the first HSM's description. */
    Started start(int hsms) throws IOException {
        Files.createDirectories(root);
        ClusterFile cluster = ClusterFile.exists(root) ? restart() : provision(hsms);
        List<ClusterFile.Member> started = new ArrayList<>();
        try {
            for (ClusterFile.Member m : cluster.members()) {
                started.add(LocalCluster.start(root, m, cluster.peers(), false));
            }
            ClusterFile now = ClusterFile.update(root, c -> {
                ClusterFile n = c;
                for (ClusterFile.Member m : started) {
                    n = n.with(m);
                }
                return n;
            });
            NodeDescription first = null;
            for (ClusterFile.Member m : started) {
                Path dir = root.resolve(m.dir());
                NodeDescription d = NodeProbe.await(root, dir, m.address(), ProcessHandle.of(m.pid()).orElseThrow(() ->
                        new HsmException(HsmException.Code.STATE, m.hsmId() + " exited at once; " + dir.resolve(LocalNodes.LOG)
                                + " ends with:\n" + LocalNodes.logTail(dir))), ClusterNodeCommands.START_SECONDS);
                first = first == null ? d : first;
                out.println("jhsm: HSM " + m.hsmId() + " (" + m.az() + ") serving " + dir + " on " + m.address() + " (cluster "
                        + d.getClusterId() + ", " + d.getState() + "; log " + dir.resolve(LocalNodes.LOG) + ")");
            }
            new ClusterRpc(root).awaitServing(now, started.stream().map(ClusterFile.Member::hsmId).toList(),
                    ClusterNodeCommands.START_SECONDS);
            return new Started(now, first);
        } catch (RuntimeException e) {
            stopAll(); // nothing half-started is left behind
            throw e;
        }
    }

    record Started(ClusterFile cluster, NodeDescription first) {
        List<String> addresses() {
            return cluster.members().stream().map(ClusterFile.Member::address).toList();
        }
    }

    private ClusterFile restart() {
        ClusterFile cluster = ClusterFile.read(root);
        for (ClusterFile.Member m : cluster.members()) {
            LocalNodes.running(root.resolve(m.dir())).ifPresent(h -> {
                throw new HsmException(HsmException.Code.STATE, root.resolve(m.dir()) + " is running already (pid " + h.pid()
                        + "): jhsm cluster down --dir " + root + " first");
            });
        }
        out.println("jhsm: starting the stopped cluster in " + root + " (" + cluster.members().size() + " HSMs)");
        return cluster;
    }

    private ClusterFile provision(int hsms) {
        Path firstDir = LocalNodes.nodeDirectory(root, 1);
        if (Files.exists(firstDir)) {
            throw new HsmException(HsmException.Code.STATE, root + " holds HSM directories but no " + ClusterFile.FILE
                    + ": give cluster up an empty or new --dir");
        }
        String clusterId = LocalCluster.createCluster(firstDir);
        LocalCluster.keepInitialState(root, firstDir);
        PeerCa ca = PeerCa.create(root, clusterId);
        Set<Integer> taken = new HashSet<>();
        List<ClusterFile.Member> members = new ArrayList<>();
        ClusterFile empty = new ClusterFile(clusterId, List.of());
        for (int k = 1; k <= hsms; k++) {
            ClusterFile.Member m = LocalCluster.plan(root, k, LocalCluster.az(k), empty, taken);
            Path dir = root.resolve(m.dir());
            if (k > 1) {
                LocalCluster.copyState(firstDir, dir);
            }
            ca.issue(dir, m.hsmId());
            members.add(m);
        }
        ClusterFile cluster = new ClusterFile(clusterId, members);
        ClusterFile.update(root, c -> cluster);
        return cluster;
    }

    /** The supervisor, then every node of DIR; answers what it did, one line each. */
    List<String> stopAll() {
        List<String> lines = new ArrayList<>();
        long supervisor = Supervisor.running(root).map(ProcessHandle::pid).orElse(-1L);
        if (Supervisor.stopRunning(root)) {
            lines.add("jhsm: supervisor stopped (pid " + supervisor + ")");
        }
        for (Path node : LocalNodes.nodes(root)) {
            long pid = LocalNodes.running(node).map(ProcessHandle::pid).orElse(-1L);
            try {
                boolean stopped = LocalNodes.stop(node);
                lines.add("jhsm: " + node.getFileName() + (stopped ? " stopped (pid " + pid + ")" : " was not running"));
            } catch (RuntimeException e) {
                err.println("jhsm: " + e.getMessage());
            }
        }
        return lines;
    }
}
