package io.jhsm.node;

import io.grpc.ServerServiceDefinition;
import io.jhsm.engine.config.Config;
import io.jhsm.protocol.v1.NodeDescription;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Management service: CLI commands run on this HSM, and the node's description.
 * SKELETON: being built on branch net-cli; the constructor is the seam.
 */
public final class ManagementEndpoint implements NodeEndpoint {
    public ManagementEndpoint(Config config, CommandRunner runner, Supplier<NodeDescription> description) {
        throw new UnsupportedOperationException("being built on branch net-cli");
    }

    @Override
    public List<ServerServiceDefinition> services() {
        throw new UnsupportedOperationException("being built on branch net-cli");
    }
}
