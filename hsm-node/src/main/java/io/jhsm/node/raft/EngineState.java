package io.jhsm.node.raft;

import io.jhsm.engine.replication.ReplicatedState;
import java.nio.file.Path;

/** The engine's ReplicatedState as the Raft state machine drives it. */
public record EngineState(ReplicatedState state) implements AppliedState {
    @Override
    public byte[] apply(long index, byte[] command) {
        return state.apply(index, command);
    }

    @Override
    public long appliedIndex() {
        return state.appliedIndex();
    }

    @Override
    public void writeSnapshot(Path file) {
        state.writeSnapshot(file);
    }

    @Override
    public void installSnapshot(Path file) {
        state.installSnapshot(file);
    }

    @Override
    public void close() {
        state.close();
    }
}
