package io.jhsm.node.raft;

import io.jhsm.engine.replication.ReplicatedState;
import io.jhsm.engine.store.TokenStores;
import io.jhsm.node.HsmNode;
import io.jhsm.node.Membership;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * An HSM node's token replicated through its cluster: the engine's replicated state driven by this HSM's
 * Raft peer, and the engine's writes to the token directory sent through Raft (registered before any
 * application opens the token, so every store the node opens replicates). Closing undoes both.
 */
public final class TokenReplication implements AutoCloseable {
    private final Path tokenDirectory;
    private final ReplicatedState state;
    private final RaftPeerNode raft;
    private final ClusterMembership membership;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TokenReplication(Path tokenDirectory, ReplicatedState state, RaftPeerNode raft, String clusterId) {
        this.tokenDirectory = tokenDirectory;
        this.state = state;
        this.raft = raft;
        this.membership = new ClusterMembership(raft, clusterId);
    }

    /**
     * Starts replicating {@code node}'s token (slot 0) with its peers.
     *
     * @param base the node's own description (sessions, connections …); the Raft fields are added here
     */
    public static TokenReplication start(HsmNode node, RaftSettings settings, Supplier<NodeDescription> base, PrintStream log)
            throws IOException {
        Path token = node.config().tokenDirectory(0);
        ReplicatedState state = ReplicatedState.open(token);
        RaftPeerNode raft;
        String clusterId = node.clusterId();
        try {
            raft = RaftPeerNode.start(node.config().directory(), settings.join() ? null : clusterId, settings,
                    new EngineState(state), base, log);
        } catch (IOException | RuntimeException e) {
            state.close();
            throw e;
        }
        TokenStores.replicateThrough(token, raft.replicator());
        return new TokenReplication(token, state, raft, clusterId);
    }

    public RaftPeerNode raft() {
        return raft;
    }

    public Membership membership() {
        return membership;
    }

    /** What Describe answers: the node's description with this HSM's id, AZ and Raft fields. */
    public NodeDescription describe() {
        return raft.describe();
    }

    /** Stops replicating and closes the Raft peer and the state; once (the stop hook and the main thread both call it). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        TokenStores.stopReplicating(tokenDirectory);
        raft.close();
        state.close();
    }
}
