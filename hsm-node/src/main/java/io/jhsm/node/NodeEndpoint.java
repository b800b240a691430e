package io.jhsm.node;

import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import java.util.List;

/**
 * One part of what a node serves (the Cryptoki service, management …), installed into the node's gRPC
 * server by {@code HsmNode}: its services, and the transport filters and interceptors they need (a
 * transport filter sees each connection open and close, which is how a connection becomes a PKCS#11
 * application).
 */
public interface NodeEndpoint extends AutoCloseable {
    List<ServerServiceDefinition> services();

    default List<ServerTransportFilter> transportFilters() {
        return List.of();
    }

    default List<ServerInterceptor> interceptors() {
        return List.of();
    }

    /** Called once the server has stopped accepting calls. */
    @Override
    default void close() {}
}
