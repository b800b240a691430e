package io.jhsm.node;

import io.grpc.ServerServiceDefinition;
import io.jhsm.engine.config.Config;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The Cryptoki service: one PKCS#11 application (an engine of its own over the node's directory) per
 * client connection. SKELETON: being built on branch net-core; the constructor and accessors are the seam.
 */
public final class CryptokiEndpoint implements NodeEndpoint {
    public CryptokiEndpoint(Config config, int maxSessions, BooleanSupplier clusterInitialized) {
        throw new UnsupportedOperationException("being built on branch net-core");
    }

    @Override
    public List<ServerServiceDefinition> services() {
        throw new UnsupportedOperationException("being built on branch net-core");
    }

    /** Open client connections (applications). */
    public int applications() {
        throw new UnsupportedOperationException("being built on branch net-core");
    }

    /** Open PKCS#11 sessions across all applications. */
    public int sessions() {
        throw new UnsupportedOperationException("being built on branch net-core");
    }
}
