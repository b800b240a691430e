package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.cloudhsm.HsmException.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code hsm zeroize}: every key and user is destroyed; the audit log survives with a record of it.
 * Afterwards the token accepts no session until a new cluster is created on it or a backup is
 * restored onto it.
 */
public final class Zeroize {
    static final String ZEROIZED = "zeroized";

    private Zeroize() {}

    public static void run(CloudHsm hsm) {
        try {
            hsm.principal().require(Role.ADMIN, "hsm zeroize");
        } catch (HsmException e) {
            throw hsm.refuse("CN_ZEROIZE", null, e);
        }
        if (!hsm.token().initialized()) {
            throw hsm.refuse("CN_ZEROIZE", null, new HsmException(Code.STATE, "the token is not initialised"));
        }
        hsm.token().store().initialize(hsm.token().record().orElseThrow(), List.of());
        hsm.state().update(p -> {
            p.clear();
            p.setProperty(ClusterState.KEY, ClusterState.UNINITIALIZED.name());
            p.setProperty(ZEROIZED, "true");
        });
        try {
            Files.deleteIfExists(hsm.directory().resolve(Cluster.HSM_KEY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hsm.audit("CN_ZEROIZE", null, 0, List.of(), "all keys and users destroyed");
        RebootCounter.increment(hsm.directory());
    }
}
