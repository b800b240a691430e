package io.jhsm.engine.diag;

/**
 * Points where a crash test makes the process die on purpose (Runtime.halt: no shutdown hooks, no
 * finally blocks, like kill -9), to prove what survives. Armed only by the system property
 * {@value #PROPERTY}, which tests set in a child JVM; unarmed, a point costs one comparison.
 */
public final class KillPoint {
    public static final String PROPERTY = "jhsm.test.killPoint";
    /** After a change and its audit record are committed to token.db, before audit.log is written. */
    public static final String AUDIT_AFTER_COMMIT = "audit-after-commit";
    /** Exit status of a process halted at a kill point. */
    public static final int HALT_STATUS = 77;

    private static final String ARMED = System.getProperty(PROPERTY);

    private KillPoint() {}

    public static void reached(String point) {
        if (ARMED != null && ARMED.equals(point)) {
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }
}
