package io.jhsm.client;

import io.grpc.ManagedChannel;

/**
 * gRPC channels to HSMs over TLS verified against the cluster's trust anchor (and a client certificate
 * when configured). SKELETON: being built on branch net-node; the signature is the seam.
 */
public final class HsmChannels {
    private HsmChannels() {}

    public static ManagedChannel open(ClientConfig config, ClientConfig.HostAndPort hsm) {
        throw new UnsupportedOperationException("being built on branch net-node");
    }
}
