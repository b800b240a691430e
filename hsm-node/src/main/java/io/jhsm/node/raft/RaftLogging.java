package io.jhsm.node.raft;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Ratis logs through slf4j to java.util.logging. Its warnings are the normal life of a cluster (a peer
 * down, an election, a retried append — each with a stack trace), so only its errors reach stderr, one
 * line each without the stack trace; the node prints its own account of role and membership changes.
 */
final class RaftLogging {
    /** Held so the level and handler set here are not lost when the logger is collected. */
    private static final Logger RATIS = Logger.getLogger("org.apache.ratis");
    /** Its clients' failures come back to jhsm's code as exceptions, which says what they mean; no line here. */
    private static final Logger CLIENT = Logger.getLogger("org.apache.ratis.client");

    private RaftLogging() {}

    static synchronized void quiet(PrintStream out) {
        RATIS.setLevel(Level.SEVERE);
        CLIENT.setLevel(Level.OFF);
        RATIS.setUseParentHandlers(false);
        for (Handler h : RATIS.getHandlers()) {
            RATIS.removeHandler(h);
        }
        RATIS.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (!isLoggable(r)) {
                    return;
                }
                String message = r.getMessage() == null ? "" : r.getMessage();
                int newline = message.indexOf('\n');
                Throwable t = r.getThrown();
                while (t != null && t.getCause() != null && t.getCause() != t) {
                    t = t.getCause();
                }
                out.println("jhsm hsm: raft: " + (newline < 0 ? message : message.substring(0, newline))
                        + (t == null ? "" : " (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")"));
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {}
        });
    }
}
