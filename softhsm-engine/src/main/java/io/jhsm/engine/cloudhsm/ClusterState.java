package io.jhsm.engine.cloudhsm;

import java.nio.file.Path;

/**
 * A cluster's lifecycle: UNINITIALIZED (created; its CSR awaits the owner's signature),
 * INITIALIZED (signed certificate accepted; only the unactivated admin exists), ACTIVE (the admin
 * set its password). A token initialised with C_InitToken has no cluster file and counts as ACTIVE
 * from the start: its SO is the admin (the compatibility rule for SoftHSM-style use).
 */
public enum ClusterState {
    UNINITIALIZED, INITIALIZED, ACTIVE;

    static final String KEY = "cluster.state";

    public static ClusterState of(Path tokenDirectory) {
        StateFile f = new StateFile(tokenDirectory);
        if (!f.exists()) {
            return ACTIVE;
        }
        return valueOf(f.read().getProperty(KEY, UNINITIALIZED.name()));
    }

    /** Whether the token is managed as a CloudHSM cluster (made by {@code jhsm cluster create}). */
    public static boolean managed(Path tokenDirectory) {
        return new StateFile(tokenDirectory).exists();
    }

    public static void set(Path tokenDirectory, ClusterState state) {
        new StateFile(tokenDirectory).update(p -> p.setProperty(KEY, state.name()));
    }
}
