package io.jhsm.node.raft;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ratis logs through slf4j to java.util.logging. Its warnings are the normal life of a cluster (a peer
 * down, an election, a retried append — each with a stack trace), so only its errors reach stderr; the
 * node prints its own one-line account of role and membership changes.
 */
final class RaftLogging {
    /** Held so the level set here is not lost when the logger is collected. */
    private static final Logger RATIS = Logger.getLogger("org.apache.ratis");

    private RaftLogging() {}

    static void quiet() {
        RATIS.setLevel(Level.SEVERE);
    }
}
