package io.jhsm.node;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.DelegatingSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * The node's TLS: 1.3 only (the JDK provider), the current identity per handshake, and the client
 * certificate asked for per connection: required under mTLS enforcement {@code cluster}, not asked for under
 * {@code none} (a certificate nobody checks would be a promise the node does not keep). The enforcement is
 * read as each connection starts, so a change applies to new connections, as CloudHSM documents.
 */
final class NodeTls {
    private NodeTls() {}

    static SslContext serverContext(NodeKeyManager keys, ClientCertificateCheck clients, BooleanSupplier enforced) throws SSLException {
        SslContext base = GrpcSslContexts.configure(SslContextBuilder.forServer(keys), SslProvider.JDK)
                .protocols("TLSv1.3")
                .trustManager(clients)
                .clientAuth(ClientAuth.OPTIONAL)
                .build();
        return new DelegatingSslContext(base) {
            @Override
            protected void initEngine(SSLEngine engine) {
                if (enforced.getAsBoolean()) {
                    engine.setNeedClientAuth(true);
                } else {
                    engine.setWantClientAuth(false);
                }
            }
        };
    }
}
