package io.jhsm.node.raft;

import io.jhsm.node.Membership;
import io.jhsm.protocol.v1.HsmEntry;
import io.jhsm.protocol.v1.HsmList;
import io.jhsm.protocol.v1.MembershipChange;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyExistsException;
import org.apache.ratis.server.RaftServer;

/**
 * The cluster from the Raft configuration: each HSM listed with what it says about itself (asked over
 * Raft's mutual TLS, a read-only query, 1 s at most) or STOPPED when it does not answer; membership
 * changes made by the leader with Ratis's setConfiguration, a new HSM first given the group (it then
 * catches up, by snapshot when the log no longer reaches back far enough).
 */
public final class ClusterMembership implements Membership {
    /** Entries behind the leader's commit index beyond which a serving HSM is DEGRADED. */
    static final long LAG_DEGRADED = 100;
    /** How long ListHsms waits for each peer's description. */
    static final long ANSWER_MILLIS = 1000;
    /** Threads that wait for the peers' descriptions (blocking calls, bounded by the query client's timeout). */
    private static final ExecutorService ASKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jhsm-raft-describe");
        t.setDaemon(true);
        return t;
    });

    private final RaftPeerNode node;
    private final String clusterId;

    public ClusterMembership(RaftPeerNode node, String clusterId) {
        this.node = node;
        this.clusterId = clusterId;
    }

    @Override
    public HsmList list(NodeDescription self) {
        RaftServer.Division d = node.division();
        String leader = node.leaderId();
        HsmList.Builder list = HsmList.newBuilder().setClusterId(self.getClusterId().isEmpty() ? clusterId : self.getClusterId())
                .setLeaderHsmId(leader == null ? "" : leader);
        if (d == null) {
            list.addHsms(entry(new Peer(self.getHsmId(), node.raftAddress(), self.getListen()), self, 0, leader));
            return list.build();
        }
        long commit = node.commitIndex();
        RaftGroup group = d.getGroup();
        Map<String, CompletableFuture<RaftClientReply>> asked = new HashMap<>();
        List<Peer> peers = node.peers();
        for (Peer p : peers) {
            if (!p.hsmId().equals(self.getHsmId())) {
                RaftClient client = node.clients().query(group);
                RaftPeerId id = RaftPeerId.valueOf(p.hsmId());
                // the blocking call, sent to that peer alone: the async API's ordered window answered a follower's
                // query with NotLeaderException (so another follower was listed STOPPED when asked from a follower)
                asked.put(p.hsmId(), CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.io().sendStaleRead(Message.valueOf(TokenStateMachine.DESCRIBE), 0, id);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, ASKERS));
            }
        }
        for (Peer p : peers) {
            CompletableFuture<RaftClientReply> f = asked.get(p.hsmId());
            list.addHsms(entry(p, f == null ? self : answer(f), commit, leader));
        }
        return list.build();
    }

    /**
     * The peer's description, or null (STOPPED) when it has not answered within {@value #ANSWER_MILLIS} ms. A slow
     * answer is left to finish: the first call to a peer also opens its TLS channel, which a loaded machine can take
     * longer than that, and dropping it each time would list a live peer as STOPPED for good.
     */
    private static NodeDescription answer(CompletableFuture<RaftClientReply> f) {
        try {
            RaftClientReply r = f.get(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
            return r.isSuccess() ? NodeDescription.parseFrom(r.getMessage().getContent().toByteArray()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static HsmEntry entry(Peer p, NodeDescription described, long commit, String leader) {
        HsmEntry.Builder e = HsmEntry.newBuilder().setHsmId(p.hsmId()).setAddress(p.clientAddress()).setRaftAddress(p.raftAddress());
        if (described == null) {
            return e.setState("STOPPED").setRaftRole("UNKNOWN").build();
        }
        long lag = Math.max(0, commit - described.getAppliedIndex());
        String role = described.getRaftRole();
        String state;
        if (role.equals("INITIALIZING") || (described.getAppliedIndex() == 0 && commit > 0)) {
            state = "INITIALIZING";
        } else if (leader == null || role.equals("PARTITIONED") || lag > LAG_DEGRADED) {
            state = "DEGRADED";
        } else {
            state = "ACTIVE";
        }
        return e.setAz(described.getAz()).setState(state).setRaftRole(role).setAppliedIndex(described.getAppliedIndex())
                .setLag(lag).setSessions(described.getSessions()).setApplications(described.getApplications()).build();
    }

    @Override
    public HsmList change(MembershipChange change, NodeDescription self) {
        RaftServer.Division d = node.division();
        if (d == null) {
            throw new MembershipRefused(self.getHsmId() + " is not in a Raft group yet; send membership changes to the cluster's leader");
        }
        if (!d.getInfo().isLeader()) {
            String leader = node.leaderId();
            String at = leader == null ? null : node.peers().stream().filter(p -> p.hsmId().equals(leader))
                    .map(Peer::clientAddress).findFirst().orElse(null);
            throw new MembershipRefused(self.getHsmId() + " is not the leader; " + (at == null
                    ? "no leader is known now (no majority?); retry in a few seconds"
                    : "send the change to the leader " + leader + " at " + at));
        }
        List<RaftPeer> current = new ArrayList<>(d.getRaftConf().getCurrentPeers());
        RaftGroup group = d.getGroup();
        try {
            switch (change.getChangeCase()) {
                case ADD -> add(group, current, change.getAdd());
                case REMOVE_HSM_ID -> remove(group, current, change.getRemoveHsmId());
                default -> throw new IllegalArgumentException("the membership change names neither add nor remove_hsm_id");
            }
        } catch (IOException e) {
            throw new MembershipRefused("the membership change failed: " + e.getMessage() + "; the cluster is unchanged unless"
                    + " ListHsms shows otherwise; retry");
        }
        return list(self);
    }

    private void add(RaftGroup group, List<RaftPeer> current, HsmEntry add) throws IOException {
        Peer peer;
        try {
            peer = new Peer(add.getHsmId(), add.getRaftAddress(), add.getAddress());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("add: " + e.getMessage());
        }
        if (current.stream().anyMatch(p -> p.getId().toString().equals(peer.hsmId()))) {
            throw new MembershipRefused(peer.hsmId() + " is already a member of the cluster");
        }
        RaftPeer raftPeer = peer.toRaftPeer();
        // the new HSM runs with no group: give it this one, empty, so the leader's appends (or snapshot) reach it
        try (RaftClient c = node.clients().admin(RaftGroup.valueOf(group.getGroupId(), raftPeer))) {
            RaftClientReply r = c.getGroupManagementApi(raftPeer.getId()).add(RaftGroup.valueOf(group.getGroupId()));
            if (!r.isSuccess()) {
                throw new IOException(peer.hsmId() + " at " + peer.raftAddress() + " refused the group: " + r.getException());
            }
        } catch (AlreadyExistsException e) {
            // restarted after a first attempt: it has the group already
        }
        List<RaftPeer> next = new ArrayList<>(current);
        next.add(raftPeer);
        setConfiguration(group, next);
    }

    private void remove(RaftGroup group, List<RaftPeer> current, String hsmId) throws IOException {
        List<RaftPeer> next = current.stream().filter(p -> !p.getId().toString().equals(hsmId)).toList();
        if (next.size() == current.size()) {
            throw new MembershipRefused(hsmId + " is not a member of the cluster");
        }
        if (next.isEmpty()) {
            throw new MembershipRefused("cannot remove the cluster's last HSM");
        }
        setConfiguration(group, next);
    }

    private void setConfiguration(RaftGroup group, List<RaftPeer> peers) throws IOException {
        try (RaftClient c = node.clients().admin(group)) {
            RaftClientReply r = c.admin().setConfiguration(peers);
            if (!r.isSuccess()) {
                throw new IOException(String.valueOf(r.getException()));
            }
        }
    }
}
