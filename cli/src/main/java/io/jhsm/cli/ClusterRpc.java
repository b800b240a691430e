package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.protocol.v1.HsmEntry;
import io.jhsm.protocol.v1.HsmList;
import io.jhsm.protocol.v1.ListHsmsRequest;
import io.jhsm.protocol.v1.ManagementGrpc;
import io.jhsm.protocol.v1.MembershipChange;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Management calls to the HSMs of a local cluster (DIR/cluster.json), each verified with the anchors the node may
 * present: the cluster's list (ListHsms from the first member that answers), membership changes on the leader,
 * and waiting until the cluster has a leader and every member serves.
 */
final class ClusterRpc {
    private final Path root;

    ClusterRpc(Path root) {
        this.root = root;
    }

    <T> NodeProbe.Reply<T> ask(ClusterFile.Member m, Function<ManagementGrpc.ManagementBlockingStub, T> call) {
        if (m.pid() > 0 && ProcessHandle.of(m.pid()).map(h -> !h.isAlive()).orElse(true)) {
            return new NodeProbe.Reply<>(null, "not running (pid " + m.pid() + " is gone)");
        }
        return NodeProbe.ask(m.address(), NodeProbe.anchors(root, root.resolve(m.dir())), call);
    }

    /** The cluster as the first member that answers sees it. */
    NodeProbe.Reply<HsmList> list(ClusterFile cluster) {
        NodeProbe.Reply<HsmList> last = new NodeProbe.Reply<>(null, "the cluster has no members");
        for (ClusterFile.Member m : cluster.members()) {
            last = ask(m, s -> s.listHsms(ListHsmsRequest.getDefaultInstance()));
            if (last.answered()) {
                return last;
            }
            last = new NodeProbe.Reply<>(null, m.hsmId() + ": " + last.problem());
        }
        return last;
    }

    /** ChangeMembership on the leader (found from the list, then any member that answers as leader). */
    HsmList changeMembership(ClusterFile cluster, MembershipChange change) {
        HsmList list = list(cluster).orThrow("no HSM of the cluster in " + root + " answers");
        Optional<ClusterFile.Member> leader = cluster.find(list.getLeaderHsmId()).filter(ClusterFile.Member::isMember);
        String problem = "the cluster has no leader now (no majority of HSMs reachable?)";
        for (ClusterFile.Member m : leader.map(List::of).orElse(cluster.members())) {
            // An add returns once the new HSM has caught up (snapshot and log), longer than a status call's deadline.
            NodeProbe.Reply<HsmList> r = ask(m, s -> s.withDeadlineAfter(ClusterMembers.JOIN_SECONDS, TimeUnit.SECONDS).changeMembership(change));
            if (r.answered()) {
                return r.value();
            }
            problem = m.hsmId() + ": " + r.problem();
        }
        throw new HsmException(HsmException.Code.STATE, "membership change refused: " + problem);
    }

    /** Waits (bounded) until a leader is known and each of {@code hsmIds} is listed ACTIVE; answers the list. */
    HsmList awaitServing(ClusterFile cluster, List<String> hsmIds, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String last = "not asked";
        while (System.nanoTime() < deadline) {
            NodeProbe.Reply<HsmList> r = list(cluster);
            if (r.answered()) {
                HsmList l = r.value();
                List<String> waiting = hsmIds.stream().filter(id -> l.getHsmsList().stream()
                        .noneMatch(e -> e.getHsmId().equals(id) && e.getState().equals("ACTIVE"))).toList();
                if (!l.getLeaderHsmId().isEmpty() && waiting.isEmpty()) {
                    return l;
                }
                last = l.getLeaderHsmId().isEmpty() ? "no leader yet" : "not ACTIVE yet: " + waiting + " (" + states(l) + ")";
            } else if (r.problem().contains("UNIMPLEMENTED")) {
                return HsmList.getDefaultInstance(); // a node without Raft: it serves once it answers
            } else {
                last = r.problem();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new HsmException(HsmException.Code.STATE, "the cluster in " + root + " did not have a leader and every HSM serving within "
                + seconds + " s (" + last + "); see each DIR/hsm-K/" + LocalNodes.LOG);
    }

    private static String states(HsmList l) {
        return String.join(", ", l.getHsmsList().stream().map(e -> e.getHsmId() + " " + e.getState()).toList());
    }

    static Optional<HsmEntry> entry(HsmList list, String hsmId) {
        return list.getHsmsList().stream().filter(e -> e.getHsmId().equals(hsmId)).findFirst();
    }
}
