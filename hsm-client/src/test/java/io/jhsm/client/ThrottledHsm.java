package io.jhsm.client;

import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jhsm.pkcs11.CKR;
import io.jhsm.protocol.v1.CryptokiGrpc;
import io.jhsm.protocol.v1.Handles;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny Cryptoki server on loopback that answers its first {@code throttledAnswers} calls as a throttled HSM
 * does (CKR_FUNCTION_FAILED, throttled, HSM error 0xBB) and then C_GetSlotList with slot 0; it records the
 * key-availability header of every call. A real gRPC server, so the client's own code runs unchanged.
 */
final class ThrottledHsm implements AutoCloseable {
    final AtomicInteger throttledAnswers = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final List<String> keyAvailabilityHeaders = new CopyOnWriteArrayList<>();
    private final Server server;

    ThrottledHsm() throws IOException {
        ServerInterceptor headers = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata md, ServerCallHandler<Q, A> next) {
                keyAvailabilityHeaders.add(String.valueOf(md.get(HsmConnection.KEY_AVAILABILITY_CHECK)));
                return Contexts.interceptCall(io.grpc.Context.current(), call, md, next);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new Service(), headers)).build().start();
    }

    private final class Service extends CryptokiGrpc.CryptokiImplBase {
        @Override
        public void call(Request request, StreamObserver<Response> out) {
            calls.incrementAndGet();
            if (throttledAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                out.onNext(Response.newBuilder().setRv(CKR.FUNCTION_FAILED).setThrottled(true)
                        .setMessage("HSM error 0xBB: the HSM is throttled (too many requests); retry with backoff").build());
            } else {
                out.onNext(Response.newBuilder().setHandles(Handles.newBuilder().addHandles(0)).build());
            }
            out.onCompleted();
        }
    }

    ClientConfig config(Path dir) {
        return new ClientConfig(List.of(new ClientConfig.HostAndPort("127.0.0.1", server.getPort())), dir.resolve("unused-ca.crt"),
                null, null, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    static RemoteCryptoki client(ClientConfig config) {
        return new RemoteCryptoki(config, hsm -> NettyChannelBuilder.forAddress(hsm.host(), hsm.port()).usePlaintext().build());
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
