package io.jhsm.node.raft;

import io.jhsm.node.LogPosition;

import io.jhsm.engine.store.Replicator;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * This HSM as a peer of its cluster's Raft group: a Ratis server over gRPC with mutual TLS (the cluster's
 * peer CA), its log and snapshots under {@code DIR/raft}, the token as its state machine. A member started
 * with its peers forms (or rejoins) the group; a joining HSM starts with no group and is given one by the
 * leader when an operator adds it (then receives the token by snapshot). The group id is derived from the
 * cluster id, so every HSM of a cluster finds the same group in its storage after a restart.
 */
public final class RaftPeerNode implements AutoCloseable {
    /** The configuration's size when the division was last seen (kept while a partition has closed it). */
    private volatile int lastClusterSize = 1;

    /** Elections on a loaded machine: heartbeats every ~half the minimum; a leader is re-elected within seconds. */
    private static final TimeDuration ELECTION_MIN = TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS);
    private static final TimeDuration ELECTION_MAX = TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS);

    private final Path directory;
    private final RaftSettings settings;
    private final AppliedState state;
    private final Supplier<NodeDescription> description;
    private final PrintStream log;
    private final RaftProperties properties;
    private final Parameters parameters;
    private final RaftGroupId groupId;
    private volatile TokenStateMachine machine;
    private volatile RaftServer server;
    private final RaftClients clients;

    private RaftPeerNode(Path directory, String clusterId, RaftSettings settings, AppliedState state,
                         Supplier<NodeDescription> description, PrintStream log) {
        this.directory = directory;
        this.settings = settings;
        this.state = state;
        this.description = description;
        this.log = log;
        this.groupId = clusterId == null || clusterId.isEmpty() ? null : groupId(clusterId);
        GrpcTlsConfig tls = PeerTls.load(directory);
        this.parameters = new Parameters();
        GrpcConfigKeys.Server.setTlsConf(parameters, tls);
        GrpcConfigKeys.Client.setTlsConf(parameters, tls);
        GrpcConfigKeys.Admin.setTlsConf(parameters, tls);
        this.properties = properties(directory, settings);
        this.clients = new RaftClients(properties, tls);
    }

    /**
     * Starts this HSM's Raft server. {@code clusterId} names the group for a member started with
     * {@code --peers}; a joining HSM passes null (the leader gives it the group).
     *
     * @param description this HSM's description without its Raft fields ({@link #describe} adds them)
     */
    public static RaftPeerNode start(Path directory, String clusterId, RaftSettings settings, AppliedState state,
                                     Supplier<NodeDescription> description, PrintStream log) throws IOException {
        RaftLogging.quiet(log);
        if (!settings.join() && (clusterId == null || clusterId.isEmpty())) {
            throw new IllegalStateException(directory + " has no cluster id: a cluster member's directory is"
                    + " provisioned by jhsm cluster up (or the supervisor) before it starts");
        }
        RaftPeerNode node = new RaftPeerNode(directory, clusterId, settings, state, description, log);
        node.startServer();
        return node;
    }

    /** The Raft group of the cluster with this id. */
    public static RaftGroupId groupId(String clusterId) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("jhsm cluster " + clusterId).getBytes(StandardCharsets.UTF_8)));
    }

    private static RaftProperties properties(Path directory, RaftSettings s) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(directory.resolve("raft").toFile()));
        GrpcConfigKeys.Server.setHost(p, s.raftHost());
        GrpcConfigKeys.Server.setPort(p, s.raftPort());
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, ELECTION_MIN);
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, ELECTION_MAX);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, s.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        // compaction: the log is kept up to the last snapshot only; a follower behind it gets the snapshot
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        SizeInBytes segment = SizeInBytes.valueOf(s.segmentBytes());
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, segment);
        if (s.segmentBytes() < RaftServerConfigKeys.Log.preallocatedSize(p).getSize()) {
            RaftServerConfigKeys.Log.setPreallocatedSize(p, segment);
        }
        return p;
    }

    private void startServer() throws IOException {
        TokenStateMachine m = new TokenStateMachine(state, () -> describe().toByteArray(), line -> log.println("jhsm hsm: " + line));
        RaftServer.Builder b = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(settings.hsmId()))
                .setProperties(properties)
                .setParameters(parameters)
                .setStateMachineRegistry(gid -> m)
                .setOption(RaftStorage.StartupOption.RECOVER);
        if (!settings.join()) {
            b.setGroup(RaftGroup.valueOf(groupId, settings.peers().stream().map(Peer::toRaftPeer).toList()));
        }
        RaftServer s = b.build();
        s.start();
        machine = m;
        server = s;
        log.println("jhsm hsm: " + settings.hsmId() + " Raft peer on " + settings.raftAddress()
                + (settings.join() ? " (joining: waiting for the leader to add it)" : " (" + settings.peers().size() + " peers)"));
    }

    /** Cuts this HSM off from its peers (the partition fault): the Raft server stops; reads keep working. */
    public synchronized void partition() {
        RaftServer s = server;
        if (s == null) {
            return;
        }
        clusterSize(); // remembered: the configuration its keys were replicated to, counted while it is cut off
        server = null;
        try {
            s.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the Raft server failed", e);
        }
        log.println("jhsm hsm: " + settings.hsmId() + " partitioned from its peers (Raft server stopped)");
    }

    /** Heals a partition: the Raft server starts again from its storage and catches up. */
    public synchronized void heal() throws IOException {
        if (server == null) {
            startServer();
        }
    }

    public boolean partitioned() {
        return server == null;
    }

    public String hsmId() {
        return settings.hsmId();
    }

    public String az() {
        return settings.az();
    }

    public String raftAddress() {
        return settings.raftAddress();
    }

    /** This HSM's division of the group; null while it has none (joining, not yet added) or is partitioned. */
    RaftServer.Division division() {
        RaftServer s = server;
        if (s == null) {
            return null;
        }
        try {
            for (RaftGroupId id : s.getGroupIds()) {
                return s.getDivision(id);
            }
        } catch (IOException e) {
            return null; // closing or not yet started
        }
        return null;
    }

    TokenStateMachine machine() {
        return machine;
    }

    RaftClients clients() {
        return clients;
    }

    Duration commitTimeout() {
        return settings.commitTimeout();
    }

    /** The peers in the current configuration (empty while this HSM is in no group). */
    public List<Peer> peers() {
        RaftServer.Division d = division();
        if (d == null) {
            return List.of();
        }
        Collection<RaftPeer> peers = d.getRaftConf().getCurrentPeers();
        return peers.stream().map(Peer::of).toList();
    }

    /**
     * HSMs in the Raft configuration as this HSM knows it (1 before it is in a group: it counts itself). While
     * partitioned its Raft server is closed: it counts the configuration it last knew, where its keys are.
     */
    public int clusterSize() {
        RaftServer.Division d = division();
        if (d != null) {
            lastClusterSize = Math.max(1, d.getRaftConf().getCurrentPeers().size());
        }
        return lastClusterSize;
    }

    /** LEADER, FOLLOWER, CANDIDATE, LISTENER; INITIALIZING while joining; PARTITIONED under that fault. */
    /**
     * HSMs this one reaches, as far as it can tell: a leader counts itself and the followers that answered
     * within two election timeouts; a follower itself and its leader; a candidate only itself.
     */
    public int reachablePeers() {
        RaftServer.Division d = division();
        if (d == null) {
            return 1;
        }
        if (d.getInfo().isLeader()) {
            long recent = 2 * ELECTION_MAX.toLong(TimeUnit.MILLISECONDS);
            return 1 + (int) d.getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList().stream()
                    .filter(f -> f.getLastRpcElapsedTimeMs() < recent).count();
        }
        return d.getInfo().getLeaderId() != null ? 2 : 1;
    }

    public String role() {
        RaftServer.Division d = division();
        if (d == null) {
            return server == null ? "PARTITIONED" : "INITIALIZING";
        }
        RaftPeerRole r = d.getInfo().getCurrentRole();
        return r == null ? "INITIALIZING" : r.name();
    }

    /** The leader's HSM id, or null when no leader is known. */
    public String leaderId() {
        RaftServer.Division d = division();
        RaftPeerId id = d == null ? null : d.getInfo().getLeaderId();
        return id == null ? null : id.toString();
    }

    /** This HSM's place in the log, for calls that must see what the application saw elsewhere ({@link LogPosition}). */
    public LogPosition logPosition() {
        return position;
    }

    private final LogPosition position = new LogPosition() {
        @Override
        public long applied() {
            TokenStateMachine m = machine;
            return m == null ? 0 : m.appliedIndex();
        }

        @Override
        public boolean awaitApplied(long index, long deadlineNanos) throws InterruptedException {
            TokenStateMachine m = machine;
            return m == null || m.awaitApplied(index, deadlineNanos);
        }
    };

    public long appliedIndex() {
        TokenStateMachine m = machine;
        return m == null ? state.appliedIndex() : Math.max(m.appliedIndex(), state.appliedIndex());
    }

    public long commitIndex() {
        RaftServer.Division d = division();
        return d == null ? 0 : Math.max(0, d.getRaftLog().getLastCommittedIndex());
    }

    RaftGroupId currentGroupId() {
        RaftServer.Division d = division();
        return d != null ? d.getGroup().getGroupId() : groupId;
    }

    /** This HSM's description with its id, AZ and Raft fields (what Describe answers and the others list). */
    public NodeDescription describe() {
        return describe(description.get());
    }

    NodeDescription describe(NodeDescription base) {
        return base.toBuilder().setHsmId(settings.hsmId()).setAz(settings.az()).setRaftRole(role())
                .setAppliedIndex(appliedIndex()).setCommitIndex(commitIndex()).setRaftAddress(settings.raftAddress()).build();
    }

    /** The Replicator the engine writes through on this HSM. */
    public Replicator replicator() {
        return new RaftReplicator(this);
    }

    /** Takes a snapshot now (operators and tests; the log is compacted up to it). */
    public long snapshot() throws IOException {
        RaftServer.Division d = division();
        if (d == null) {
            throw new IllegalStateException(settings.hsmId() + " is in no Raft group");
        }
        return clients.snapshot(d.getGroup(), RaftPeerId.valueOf(settings.hsmId()));
    }

    @Override
    public synchronized void close() {
        try {
            clients.close();
            RaftServer s = server;
            server = null;
            if (s != null) {
                s.close();
            }
        } catch (IOException e) {
            log.println("jhsm hsm: closing the Raft server of " + settings.hsmId() + " failed: " + e.getMessage());
        }
    }
}
