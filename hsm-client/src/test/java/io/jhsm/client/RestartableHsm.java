package io.jhsm.client;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.protocol.v1.CryptokiGrpc;
import io.jhsm.protocol.v1.Handles;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.SessionInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny Cryptoki server on loopback that keeps, as the node does, one PKCS#11 application per connection (its
 * sessions and its login end with the connection), and that can be stopped and started again on the same port,
 * as a restarted HSM. It answers C_OpenSession, C_Login, C_GetSessionInfo and C_CloseSession; every call on a
 * session of another connection answers CKR_SESSION_HANDLE_INVALID. A real gRPC server, so the client's own code
 * runs unchanged.
 */
final class RestartableHsm implements AutoCloseable {
    static final String PIN = "user:secret";

    /** One C_OpenSession the HSM answered CKR_OK: on which start of the server, with which slot and flags. */
    record Opened(int start, long slot, long flags) { }

    final List<Opened> opened = new CopyOnWriteArrayList<>();
    private static final Context.Key<SocketAddress> PEER = Context.key("peer");
    private final Map<SocketAddress, Application> applications = new ConcurrentHashMap<>();
    private final AtomicLong handles = new AtomicLong();
    private final int port;
    private volatile int starts;
    private Server server;

    /** What the node keeps per connection: its sessions (handle to flags) and whether it is logged in. */
    private static final class Application {
        final Map<Long, Long> sessions = new ConcurrentHashMap<>();
        volatile boolean loggedIn;
    }

    RestartableHsm() throws IOException {
        server = serve(0);
        port = server.getPort();
    }

    private Server serve(int onPort) throws IOException {
        starts++;
        ServerInterceptor peer = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata md, ServerCallHandler<Q, A> next) {
                Context c = Context.current().withValue(PEER, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
                return Contexts.interceptCall(c, call, md, next);
            }
        };
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", onPort))
                .addService(ServerInterceptors.intercept(new Service(), peer)).build().start();
    }

    /** The HSM goes away: its connections, and with them its applications' sessions and logins, end. */
    void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        applications.clear();
    }

    /** The HSM serves again on the same address (a new process: no application yet). */
    void start() throws IOException {
        server = serve(port);
    }

    int starts() {
        return starts;
    }

    private final class Service extends CryptokiGrpc.CryptokiImplBase {
        @Override
        public void call(Request request, StreamObserver<Response> out) {
            out.onNext(answer(applications.computeIfAbsent(PEER.get(), p -> new Application()), request));
            out.onCompleted();
        }
    }

    private Response answer(Application app, Request r) {
        switch (r.getFunctionCase()) {
            case GET_SLOT_LIST:
                return Response.newBuilder().setHandles(Handles.newBuilder().addHandles(0)).build();
            case OPEN_SESSION: {
                long handle = handles.incrementAndGet();
                app.sessions.put(handle, r.getOpenSession().getFlags());
                opened.add(new Opened(starts, r.getOpenSession().getSlot(), r.getOpenSession().getFlags()));
                return Response.newBuilder().setNumber(handle).build();
            }
            case LOGIN:
                if (!app.sessions.containsKey(r.getLogin().getSession())) {
                    return rv(CKR.SESSION_HANDLE_INVALID);
                }
                if (app.loggedIn) {
                    return rv(CKR.USER_ALREADY_LOGGED_IN);
                }
                if (!PIN.equals(r.getLogin().getPin().toString(StandardCharsets.UTF_8))) {
                    return rv(CKR.PIN_INCORRECT);
                }
                app.loggedIn = true;
                return rv(CKR.OK);
            case GET_SESSION_INFO: {
                Long flags = app.sessions.get(r.getGetSessionInfo().getSession());
                if (flags == null) {
                    return rv(CKR.SESSION_HANDLE_INVALID);
                }
                long state = app.loggedIn ? CKS.RW_USER_FUNCTIONS : CKS.RW_PUBLIC_SESSION;
                return Response.newBuilder().setSessionInfo(SessionInfo.newBuilder().setSlot(0).setState(state).setFlags(flags)).build();
            }
            case CLOSE_SESSION:
                if (app.sessions.remove(r.getCloseSession().getSession()) == null) {
                    return rv(CKR.SESSION_HANDLE_INVALID);
                }
                if (app.sessions.isEmpty()) {
                    app.loggedIn = false;
                }
                return rv(CKR.OK);
            default:
                return rv(CKR.FUNCTION_NOT_SUPPORTED);
        }
    }

    private static Response rv(long rv) {
        return Response.newBuilder().setRv(rv).build();
    }

    ClientConfig config(Path dir) {
        return new ClientConfig(List.of(new ClientConfig.HostAndPort("127.0.0.1", port)), dir.resolve("unused-ca.crt"),
                null, null, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
