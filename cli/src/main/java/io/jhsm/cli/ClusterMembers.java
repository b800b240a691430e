package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.protocol.v1.HsmEntry;
import io.jhsm.protocol.v1.HsmList;
import io.jhsm.protocol.v1.MembershipChange;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Membership changes of a local cluster, as CloudHSM's create-hsm / delete-hsm and its automatic replacement:
 * a new HSM (new id, new directory, the cluster key and identity key, a new peer certificate) started with
 * {@code --join} and added by the leader; an HSM removed by the leader, then stopped; a dead HSM replaced by a new
 * one, then removed. Every step is recorded in DIR/cluster.json.
 */
final class ClusterMembers {
    /** A joining HSM installs a snapshot and catches up: generous, bounded. */
    static final int JOIN_SECONDS = 120;

    private final Path root;
    private final ClusterRpc rpc;
    private final Consumer<String> progress;

    ClusterMembers(Path root, Consumer<String> progress) {
        this.root = root;
        this.rpc = new ClusterRpc(root);
        this.progress = progress;
    }

    /** A new HSM in {@code az}, added to the cluster and serving. */
    ClusterFile.Member add(String az) {
        ClusterFile cluster = ClusterFile.read(root);
        if (cluster.members().size() >= LocalCluster.MAX_HSMS) {
            throw new HsmException(HsmException.Code.BAD_INPUT, "the cluster has " + LocalCluster.MAX_HSMS + " HSMs, CloudHSM's most");
        }
        ClusterFile.Member source = cluster.members().stream().filter(m -> LocalNodes.running(root.resolve(m.dir())).isPresent())
                .findFirst().orElseThrow(() -> new HsmException(HsmException.Code.STATE,
                        "no HSM of the cluster in " + root + " is running: nothing to copy the cluster key from or to join"));
        ClusterFile.Member[] planned = new ClusterFile.Member[1];
        ClusterFile.update(root, c -> {
            int k = LocalCluster.nextIndex(root);
            planned[0] = LocalCluster.plan(root, k, az, c, new HashSet<>()).withStatus(ClusterFile.JOINING, null);
            LocalCluster.provisionJoining(root, root.resolve(source.dir()), root.resolve(planned[0].dir()));
            return c.with(planned[0]);
        });
        ClusterFile.Member m = planned[0];
        Path nodeDir = root.resolve(m.dir());
        PeerCa.load(root).issue(nodeDir, m.hsmId());
        try {
            ClusterFile.Member started = LocalCluster.start(root, m, "", true);
            ClusterFile.update(root, c -> c.with(started));
            // A joining HSM has no cluster certificate until the snapshot brings its state, so its client port cannot
            // be asked yet: its Raft endpoint (peer certificates) listening is the sign it can be added.
            LocalCluster.awaitListening(m.raftAddress(), nodeDir, started.pid(), ClusterNodeCommands.START_SECONDS);
            rpc.changeMembership(ClusterFile.read(root), MembershipChange.newBuilder().setAdd(HsmEntry.newBuilder().setHsmId(m.hsmId())
                    .setAz(m.az()).setAddress(m.address()).setRaftAddress(m.raftAddress())).build());
            ClusterFile now = ClusterFile.update(root, c -> c.with(started.withStatus(ClusterFile.MEMBER, null)));
            progress.accept(m.hsmId() + " (" + m.az() + ", " + m.dir() + ", " + m.address() + ") added; waiting until it serves");
            rpc.awaitServing(now, List.of(m.hsmId()), JOIN_SECONDS);
            return started.withStatus(ClusterFile.MEMBER, null);
        } catch (RuntimeException e) {
            // An add that timed out may still have entered the Raft configuration: a dead member there would count
            // against every later majority, so it leaves again (best effort: without a leader nothing can change).
            leaveGroup(m.hsmId());
            LocalNodes.stop(nodeDir);
            ClusterFile.update(root, c -> c.with(c.find(m.hsmId()).orElse(m).withStatus(ClusterFile.FAILED, null)));
            throw e;
        }
    }

    /** Takes the HSM out of the Raft group (on the leader), records it, then stops its node. */
    void remove(String hsmId) {
        ClusterFile cluster = ClusterFile.read(root);
        ClusterFile.Member m = cluster.member(hsmId);
        if (cluster.members().size() == 1) {
            throw new HsmException(HsmException.Code.BAD_INPUT, hsmId + " is the cluster's only HSM: jhsm cluster down stops it");
        }
        rpc.changeMembership(cluster, MembershipChange.newBuilder().setRemoveHsmId(hsmId).build());
        // Recorded before the node stops, so the supervisor does not take the stop for a death.
        ClusterFile.update(root, c -> c.with(c.find(hsmId).orElse(m).withStatus(ClusterFile.REMOVED, null)));
        LocalNodes.stop(root.resolve(m.dir()));
        progress.accept(hsmId + " removed from the cluster and stopped");
    }

    /**
     * A dead member's replacement: the dead one leaves the Raft group first, then a new HSM in its AZ joins. In this
     * order a 3-HSM cluster keeps its majority (2 of 2, then 2 of 3) while the new HSM installs the snapshot and
     * catches up; joining first counted the dead one in a group of 4, where the two survivors are no majority, and
     * a join that timed out on a loaded machine left the cluster without a leader for good. The dead member stays
     * recorded until the replacement serves, so a failed try is tried again.
     */
    ClusterFile.Member replace(ClusterFile.Member dead) {
        if (inGroup(dead.hsmId())) {
            rpc.changeMembership(ClusterFile.read(root), MembershipChange.newBuilder().setRemoveHsmId(dead.hsmId()).build());
        }
        ClusterFile.Member fresh = add(dead.az());
        ClusterFile.update(root, c -> c.with(c.find(dead.hsmId()).orElse(dead).withStatus(ClusterFile.REPLACED, fresh.hsmId())));
        return fresh;
    }

    /** Whether the Raft configuration, as an HSM that answers sees it, still lists {@code hsmId} (true when none answers). */
    private boolean inGroup(String hsmId) {
        NodeProbe.Reply<HsmList> list = rpc.list(ClusterFile.read(root));
        return !list.answered() || list.value().getHsmsList().stream().anyMatch(e -> e.getHsmId().equals(hsmId));
    }

    /** Takes {@code hsmId} out of the Raft group if it is in it; a failure is reported, not thrown (used while failing). */
    private void leaveGroup(String hsmId) {
        try {
            if (inGroup(hsmId)) {
                rpc.changeMembership(ClusterFile.read(root), MembershipChange.newBuilder().setRemoveHsmId(hsmId).build());
            }
        } catch (RuntimeException e) {
            progress.accept("could not take the failed " + hsmId + " out of the Raft group: " + e.getMessage());
        }
    }
}
