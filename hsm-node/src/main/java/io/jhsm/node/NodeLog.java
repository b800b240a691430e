package io.jhsm.node;

import java.io.PrintStream;

/** The node's log: one line per event on stderr (systemd and containers add the time), never a PIN or key bytes. */
final class NodeLog {
    private final PrintStream out;

    NodeLog(PrintStream out) {
        this.out = out;
    }

    void line(String message) {
        out.println("jhsm hsm: " + message);
    }
}
