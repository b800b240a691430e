package io.jhsm.node;

/**
 * The Raft side's hook for the {@code partition} fault: {@link #cut} stops this HSM's Raft server talking to
 * its peers (clients still reach the HSM: reads keep working, writes cannot commit), {@link #heal} brings it
 * back so it catches up. A standalone node has none.
 */
public interface PeerLink {
    void cut();

    void heal();
}
