package io.jhsm.node;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jhsm.protocol.v1.CryptokiGrpc;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A Cryptoki server on loopback that accepts every call and never answers, as a hung HSM. */
final class HungHsm {
    private HungHsm() {}

    static Server start() throws IOException {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new CryptokiGrpc.CryptokiImplBase() {
            @Override
            public void call(Request request, StreamObserver<Response> out) {
                // never answers
            }
        }).build().start();
    }
}
