package io.jhsm.node;

import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jhsm.engine.Engine;
import io.jhsm.engine.config.Config;
import io.jhsm.engine.profile.ProfileSetting;
import io.jhsm.engine.token.TokenCounts;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.pkcs11.CKR;
import io.jhsm.protocol.v1.CryptokiGrpc;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The Cryptoki service: one PKCS#11 application (an engine of its own over the node's directory) per
 * client connection. A transport filter attaches the application to the connection when it is ready
 * and finalises it when it terminates; each call finds its application through the call's transport
 * attributes, never from anything the client sends, so no connection reaches another's sessions.
 * Calls are not serialised (the engine is thread-safe): an application's calls run as gRPC delivers them,
 * quick ones on the connection's event loop and blocking ones on workers ({@link CallPlacement}).
 */
public final class CryptokiEndpoint implements NodeEndpoint {
    static final String NOT_INITIALIZED = "cluster not initialized: run jhsm cluster initialize";

    private static final Attributes.Key<Application> APPLICATION = Attributes.Key.create("jhsm.application");
    private static final Context.Key<Application> CALLER = Context.key("jhsm.application");

    private final Config config;
    private final SessionLimit limit;
    private final BooleanSupplier clusterInitialized;
    private final Set<Application> applications = ConcurrentHashMap.newKeySet();
    private final CallPlacement placement = CallPlacement.forThisMachine();
    private final Faults faults;
    private final KeyAvailability availability;
    /** The Raft side starts after the endpoint, hence a supplier; STANDALONE until then. */
    private final Supplier<LogPosition> log;
    /**
     * How long a call waits for this HSM to apply what the application saw elsewhere: a committed entry is applied
     * in milliseconds, so beyond this the HSM is cut off or far behind, and it answers with what it has (a
     * partitioned HSM keeps serving reads).
     */
    static final long CATCH_UP_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    private static final IntSupplier STANDALONE = () -> 1;
    /** Reads the token keys for the metrics when no application is open. */
    private Engine observer;

    public CryptokiEndpoint(Config config, int maxSessions, BooleanSupplier clusterInitialized) {
        this(config, maxSessions, clusterInitialized, Faults.forNode("hsm", null));
    }

    /** With the node's faults ({@code jhsm cluster fault}) applied to every call before it is dispatched. */
    public CryptokiEndpoint(Config config, int maxSessions, BooleanSupplier clusterInitialized, Faults faults) {
        this(config, maxSessions, clusterInitialized, faults, STANDALONE);
    }

    /**
     * With the number of HSMs in the node's cluster (its Raft configuration), for CloudHSM's key availability
     * check ({@link KeyAvailability}); the other constructors serve a standalone node, a cluster of one.
     */
    public CryptokiEndpoint(Config config, int maxSessions, BooleanSupplier clusterInitialized, Faults faults,
                            IntSupplier hsmsInCluster) {
        this(config, maxSessions, clusterInitialized, faults, hsmsInCluster, () -> LogPosition.STANDALONE);
    }

    /** A cluster member: also its place in the log, so an application's calls see its own writes through other HSMs. */
    public CryptokiEndpoint(Config config, int maxSessions, BooleanSupplier clusterInitialized, Faults faults,
                            IntSupplier hsmsInCluster, Supplier<LogPosition> log) {
        this.log = log;
        this.availability = new KeyAvailability(hsmsInCluster);
        this.faults = faults;
        this.config = config;
        this.limit = new SessionLimit(maxSessions);
        this.clusterInitialized = RecentAnswer.forOneSecond(clusterInitialized);
    }

    @Override
    public List<ServerServiceDefinition> services() {
        return List.of(ServerInterceptors.intercept(new Service(), new ApplicationOfCall()));
    }

    @Override
    public List<ServerTransportFilter> transportFilters() {
        return List.of(new Connections());
    }

    /** Open client connections (applications). */
    public int applications() {
        return applications.size();
    }

    /** Open PKCS#11 sessions across all applications. */
    public int sessions() {
        return limit.open();
    }

    /**
     * Token keys as committed, the session keys of every application and the users (CloudWatch's HsmKeys*Occupied, HsmUsersAvailable). With no
     * application open the token keys are read through an engine of the node's own, opened on first need.
     */
    public TokenCounts counts() {
        TokenCounts any = null;
        long session = 0;
        for (Application a : applications) {
            try {
                TokenCounts k = a.counts();
                if (k != null) {
                    any = k;
                    session += k.sessionKeys();
                }
            } catch (RuntimeException closing) {
                // the application ended while being counted: its keys are gone
            }
        }
        if (any == null) {
            any = observer().counts(0);
        }
        return new TokenCounts(any.tokenKeys(), session, any.users());
    }

    private synchronized Engine observer() {
        if (observer == null) {
            Engine e = new Engine(config);
            e.C_Initialize(InitializeArgs.NONE);
            observer = e;
        }
        return observer;
    }

    /** Whether the node's token (slot 0) has the cloudhsm profile, read now: {@code jhsm hsm set-profile} may change it. */
    private boolean cloudHsmToken() {
        return ProfileSetting.effective(config.profile(), config.tokenDirectory(0)).cloudHsm();
    }

    /** The server has stopped: every application still open is finalised. */
    @Override
    public void close() {
        faults.close();
        placement.close();
        synchronized (this) {
            if (observer != null) {
                observer.C_Finalize();
                observer = null;
            }
        }
        for (Application a : applications) {
            applications.remove(a);
            a.close();
        }
    }

    private final class Connections extends ServerTransportFilter {
        @Override
        public Attributes transportReady(Attributes attrs) {
            Application app = new Application(config, limit, String.valueOf(attrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
            applications.add(app);
            return attrs.toBuilder().set(APPLICATION, app).build();
        }

        @Override
        public void transportTerminated(Attributes attrs) {
            // null when the connection ended before it was ready (a refused TLS handshake): it never had an application
            Application app = attrs == null ? null : attrs.get(APPLICATION);
            if (app != null && applications.remove(app)) {
                int open = app.sessionCount();
                if (open > 0) {
                    CryptokiLog.line("connection from " + app.peer + " ended: its " + open
                            + " session(s) are closed and it is logged out, as PKCS#11 ends an application");
                }
                try {
                    app.close();
                } catch (RuntimeException e) {
                    CryptokiLog.line("closing the application of " + app.peer + " failed: " + e
                            + " (its sessions are gone with the connection; check the token directory " + config.directory() + ")");
                }
            }
        }
    }

    private static final class ApplicationOfCall implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            Context context = Context.current().withValue(CALLER, call.getAttributes().get(APPLICATION))
                    .withValue(KeyAvailability.OFF, KeyAvailability.turnedOff(headers));
            return Contexts.interceptCall(context, call, headers, next);
        }
    }

    /** On a worker thread: waits (bounded) until this HSM applied what the application already saw applied elsewhere. */
    private static void catchUp(LogPosition position, long seen) {
        try {
            if (!position.awaitApplied(seen, System.nanoTime() + CATCH_UP_WAIT_NANOS)) {
                CryptokiLog.line("this HSM has applied log index " + position.applied() + " but the application already saw "
                        + seen + " on another HSM; answered with what it has after " + CATCH_UP_WAIT_NANOS / 1_000_000
                        + " ms (is it partitioned or far behind? see jhsm cluster status)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Service extends CryptokiGrpc.CryptokiImplBase {
        @Override
        public void call(Request request, StreamObserver<Response> out) {
            boolean initialized;
            try {
                initialized = clusterInitialized.getAsBoolean();
            } catch (RuntimeException e) {
                CryptokiLog.line("CKR_DEVICE_ERROR: cannot read the cluster's state in " + config.directory() + ": " + e
                        + " (check the directory is readable by the node)");
                out.onNext(Response.newBuilder().setRv(CKR.DEVICE_ERROR).setMessage("the HSM cannot read its cluster state").build());
                out.onCompleted();
                return;
            }
            if (!initialized) {
                out.onError(Status.FAILED_PRECONDITION.withDescription(NOT_INITIALIZED).asRuntimeException());
                return;
            }
            Application app = CALLER.get();
            if (app == null) {
                CryptokiLog.line("CKR_DEVICE_ERROR: a call arrived on a connection the node did not register as an application"
                        + " (a server set up without CryptokiEndpoint's transport filter: install NodeEndpoint.transportFilters())");
                out.onNext(Response.newBuilder().setRv(CKR.DEVICE_ERROR).setMessage("the HSM has no application for this connection").build());
                out.onCompleted();
                return;
            }
            boolean checkKey = availability.applies(request); // here: the call's context says whether the client turned it off
            LogPosition position = log.get();
            long seen = request.getMinAppliedIndex();
            boolean behind = seen > position.applied();
            faults.apply(request, CryptokiEndpoint.this::cloudHsmToken, out, () -> placement.run(request, app.opened() && !behind, () -> {
                if (behind) {
                    catchUp(position, seen);
                }
                Response refused = checkKey ? availability.refusal(app, request) : null;
                Response answer = refused != null ? refused : Dispatcher.dispatch(app, request);
                long applied = position.applied();
                out.onNext(applied == 0 ? answer : answer.toBuilder().setAppliedIndex(applied).build());
                out.onCompleted();
            }));
        }
    }
}
