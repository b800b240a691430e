package io.jhsm.node.raft;

import java.time.Duration;
import java.util.List;

/**
 * How this HSM takes part in its cluster's Raft group: its id and AZ label, where its Raft endpoint
 * listens, the group's peers at start ({@code --peers}, itself included) or none when it {@code --join}s
 * (it then waits for the leader to add it), and the log's tuning (tests shrink it).
 *
 * @param commitTimeout how long a write waits to be committed and applied here before it fails
 * @param snapshotThreshold log entries between automatic snapshots (after which the log is compacted)
 * @param segmentBytes the size at which a log segment is closed (only closed segments are compacted)
 */
public record RaftSettings(String hsmId, String az, String raftHost, int raftPort, List<Peer> peers, boolean join,
                           Duration commitTimeout, long snapshotThreshold, long segmentBytes) {
    public static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    public static final long SNAPSHOT_THRESHOLD = 10_000;
    public static final long SEGMENT_BYTES = 8L << 20;

    public RaftSettings {
        peers = List.copyOf(peers);
        if (join == !peers.isEmpty()) {
            throw new IllegalArgumentException(join ? "--join starts with no peers: the leader adds this HSM"
                    : "a cluster member needs --peers (itself included) or --join");
        }
        if (!join && peers.stream().noneMatch(p -> p.hsmId().equals(hsmId))) {
            throw new IllegalArgumentException("--peers does not list this HSM (" + hsmId + ")");
        }
    }

    /** A member of the group listed in {@code peers}, with the default timeout and log tuning. */
    public static RaftSettings member(String hsmId, String az, String raftHost, int raftPort, List<Peer> peers) {
        return new RaftSettings(hsmId, az, raftHost, raftPort, peers, false, COMMIT_TIMEOUT, SNAPSHOT_THRESHOLD, SEGMENT_BYTES);
    }

    /** A new HSM that waits to be added to its cluster. */
    public static RaftSettings joining(String hsmId, String az, String raftHost, int raftPort) {
        return new RaftSettings(hsmId, az, raftHost, raftPort, List.of(), true, COMMIT_TIMEOUT, SNAPSHOT_THRESHOLD, SEGMENT_BYTES);
    }

    public RaftSettings withCommitTimeout(Duration timeout) {
        return new RaftSettings(hsmId, az, raftHost, raftPort, peers, join, timeout, snapshotThreshold, segmentBytes);
    }

    public RaftSettings withLog(long snapshotEvery, long segmentSize) {
        return new RaftSettings(hsmId, az, raftHost, raftPort, peers, join, commitTimeout, snapshotEvery, segmentSize);
    }

    String raftAddress() {
        return raftHost + ":" + raftPort;
    }
}
