package io.jhsm.node;

/** The node's one-line events on stderr: what happened, where, what to do. Never a PIN or key bytes. */
final class CryptokiLog {
    private CryptokiLog() {}

    static void line(String message) {
        System.err.println("jhsm-node: " + message);
    }
}
