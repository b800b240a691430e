package io.jhsm.engine.store;

/**
 * Where the durable writes of one token directory go when the token belongs to a cluster of HSMs: a
 * replicated log (Raft, run by the HSM node) that every HSM applies in the same order. In process and
 * on a standalone node there is none, and writes go straight to the local store.
 *
 * <p>A command is opaque bytes made by the engine (no key material or PIN in clear: values are sealed
 * under the cluster's storage key); the node only orders and carries them.
 */
public interface Replicator {

    /**
     * Appends {@code command} to the cluster's log and returns once it is committed (on a majority of
     * the HSMs) and applied on this HSM, with what applying it here returned.
     *
     * @throws NotCommittedException the cluster could not commit it in time (no majority, no leader,
     *     this HSM partitioned): the change did not happen here and the caller must not assume it did
     */
    byte[] replicate(byte[] command);
}
