/**
 * The applying side of a cluster of HSMs: {@link io.jhsm.engine.replication.ReplicatedState} runs the
 * replicated log's commands (made by {@code io.jhsm.engine.store}'s replicated store and settings) against
 * this HSM's token directory, and writes and installs snapshots. The HSM node's Raft state machine calls it.
 */
package io.jhsm.engine.replication;
