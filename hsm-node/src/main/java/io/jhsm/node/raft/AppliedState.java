package io.jhsm.node.raft;

import java.nio.file.Path;

/**
 * What the Raft state machine drives: the token's replicated state on this HSM (the engine's
 * {@code ReplicatedState}). Apply is deterministic and idempotent (an index at or below
 * {@link #appliedIndex()} is skipped), so replaying the log after a restart is safe.
 */
public interface AppliedState extends AutoCloseable {

    /** Applies the committed command at {@code index}; the reply goes back to whoever replicated it. */
    byte[] apply(long index, byte[] command);

    /** The last index applied, as durable as the change it belongs to. */
    long appliedIndex();

    /** Writes the whole state (as of {@link #appliedIndex()}) to {@code file}. */
    void writeSnapshot(Path file);

    /** Replaces the local state by the snapshot in {@code file}. */
    void installSnapshot(Path file);

    @Override
    void close();
}
