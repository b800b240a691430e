package io.jhsm.node;

/**
 * This HSM's position in its cluster's replicated log. An application's sessions may live on several HSMs;
 * each answer carries the index this HSM has applied, and a call carrying a higher index (the application
 * saw another HSM apply it, e.g. its own new key) waits until this HSM has applied it too, so an
 * application always sees its own writes, whichever HSM a session is on.
 */
public interface LogPosition {

    /** A standalone node: no log, nothing to wait for. */
    LogPosition STANDALONE = new LogPosition() {
        @Override
        public long applied() {
            return 0;
        }

        @Override
        public boolean awaitApplied(long index, long deadlineNanos) {
            return true;
        }
    };

    /** The last log index applied on this HSM. Cheap: read on every call. */
    long applied();

    /** Waits until {@code index} is applied here, at most until {@code deadlineNanos} (System.nanoTime); false if not. */
    boolean awaitApplied(long index, long deadlineNanos) throws InterruptedException;
}
