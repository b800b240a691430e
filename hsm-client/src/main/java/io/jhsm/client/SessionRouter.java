package io.jhsm.client;

import io.grpc.Status;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.protocol.RequestSessions;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.Session;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The application's sessions across the cluster: C_OpenSession places each on an HSM ({@link HsmPool}), the
 * application gets a handle of the client's own (node handles of different HSMs may be equal) and every
 * call on it goes to that HSM with its node handle. A session whose HSM was lost stays lost: its calls fail
 * with what StatusMapping gives for an unreachable HSM (CKR_DEVICE_REMOVED) while it is away and
 * CKR_SESSION_HANDLE_INVALID once it is back (the node sees a new application), never reaching a newer
 * session that happens to have the same node handle. CloudHSM documents the same: when an HSM is lost or
 * replaced, operations in progress on it fail and the application retries them ([UG]/bp-cluster-management.html).
 */
final class SessionRouter {
    /** Where a client session handle lives: the HSM, the connection (and its epoch) it was opened on, the node's handle. */
    record Route(HsmMember member, HsmConnection connection, int epoch, long nodeHandle) { }

    private final HsmPool pool;
    private final ThrottleRetry retry;
    private final Map<Long, Route> routes = new ConcurrentHashMap<>();
    /** Shared by every client in the process: a handle from before C_Finalize, or of another instance, is never valid. */
    private static final AtomicLong lastHandle = new AtomicLong();
    private Logins logins;
    /**
     * The highest log index any HSM reported applied to this application: its own writes included. A call to an
     * HSM that reported less carries it, and that HSM answers once it has caught up, so a key made through one
     * HSM is there for the application's sessions on the others (SunPKCS11's keytool creates the key in one
     * session and labels it in another).
     */
    private final AtomicLong seen = new AtomicLong();

    SessionRouter(HsmPool pool) {
        this.pool = pool;
        this.retry = new ThrottleRetry(pool.config());
    }

    void logins(Logins l) {
        this.logins = l;
    }

    /** A call on a session goes to its HSM; one without goes to any serving HSM. */
    Response call(Request r) {
        if (!RequestSessions.hasSession(r)) {
            return anyHsm(r);
        }
        Route route = live(RequestSessions.session(r), r.getFunctionCase());
        Response resp = send(route, RequestSessions.withSession(r, route.nodeHandle()));
        if (madeSessionObject(r, resp)) {
            route.member().holdsSessionObjects();
        }
        return resp;
    }

    /**
     * Session objects live on the HSM that made them (CloudHSM: "session keys exist only on one HSM",
     * [UG]/concepts-key-sync.html), yet PKCS#11 lets every session of the application use them: SunPKCS11's
     * keytool makes a session key pair, then opens another session to read it. So with {@code session-placement =
     * session}, once an application holds session objects on an HSM its new sessions open there while it keeps a
     * session there; by default ({@code application}) all its sessions are on one HSM anyway.
     */
    private static boolean madeSessionObject(Request r, Response resp) {
        if (resp.getRv() != CKR.OK || !CREATING.contains(r.getFunctionCase())) {
            return false;
        }
        if (resp.hasHandles()) {
            return resp.getHandles().getHandlesList().stream().anyMatch(h -> h >= SESSION_OBJECT_HANDLES);
        }
        return resp.getNumber() >= SESSION_OBJECT_HANDLES;
    }

    /** The node's session objects have handles from here up (the engine's range; token objects' ids stay far below). */
    static final long SESSION_OBJECT_HANDLES = 0x4000_0000L;
    private static final java.util.Set<Request.FunctionCase> CREATING = java.util.EnumSet.of(
            Request.FunctionCase.CREATE_OBJECT, Request.FunctionCase.COPY_OBJECT, Request.FunctionCase.GENERATE_KEY,
            Request.FunctionCase.GENERATE_KEY_PAIR, Request.FunctionCase.UNWRAP_KEY, Request.FunctionCase.DERIVE_KEY,
            Request.FunctionCase.UNWRAP_KEY_AUTHENTICATED, Request.FunctionCase.ENCAPSULATE_KEY,
            Request.FunctionCase.DECAPSULATE_KEY);

    /** The route of a client handle whose HSM connection is still the one it was opened on; else the CK_RV thrown. */
    Route live(long handle, Request.FunctionCase function) {
        Route route = routes.get(handle);
        if (route == null) {
            throw new CkException(CKR.SESSION_HANDLE_INVALID);
        }
        if (route.connection().epoch() != route.epoch()) {
            if (!route.connection().ready()) {
                pool.lost(route.member());
            }
            throw lostSession(route, function);
        }
        return route;
    }

    private static CkException lostSession(Route route, Request.FunctionCase function) {
        boolean back = route.connection().ready();
        long rv = back ? CKR.SESSION_HANDLE_INVALID : StatusMapping.rv(Status.Code.UNAVAILABLE, function);
        String why = StatusMapping.functionName(function) + ": the session's HSM " + route.member().label()
                + (back ? " lost its connection since the session was opened, so the session is gone"
                        : " is unreachable, so the session is gone")
                + "; open a new session (it goes to a serving HSM) and retry the operation";
        ClientLog.get().problem(CKR.name(rv), why);
        return new CkException(rv, why);
    }

    Response send(Route route, Request translated) {
        return send(route, translated, deadline());
    }

    /** As {@link #send(Route, Request)}, answered by {@code deadline}: calls that belong to one PKCS#11 function share it. */
    Response send(Route route, Request translated, long deadline) {
        return send(route.member(), route.connection(), translated, deadline);
    }

    /** call-timeout-ms from now, for {@link #send(Route, Request, long)}. */
    long deadline() {
        return System.nanoTime() + pool.config().callTimeout().toNanos();
    }

    /** One call (retried while throttled); an HSM found gone or hung is reported to the pool. */
    Response send(HsmMember m, HsmConnection c, Request r) {
        return send(m, c, r, deadline());
    }

    private Response send(HsmMember m, HsmConnection c, Request r, long deadline) {
        try {
            long atLeast = seen.get();
            Response resp = retry.call(m, c, atLeast > m.applied() ? r.toBuilder().setMinAppliedIndex(atLeast).build() : r, deadline);
            m.markReachable();
            long applied = resp.getAppliedIndex();
            if (applied > 0) {
                m.applied(applied);
                seen.accumulateAndGet(applied, Math::max);
            }
            return resp;
        } catch (HsmConnection.Unreachable u) {
            if (u.hsmLost()) {
                pool.lost(m);
            }
            throw u;
        }
    }

    /** Any serving HSM; one that cannot be reached before the call left gives way to the next. */
    Response anyHsm(Request r) {
        return firstThatAnswers(pool.forAnyCall(), r.getFunctionCase(),
                m -> send(m, pool.connect(m, StatusMapping.functionName(r.getFunctionCase())), r));
    }

    /**
     * C_OpenSession on the least-loaded serving HSM (the next one when it cannot be reached or the
     * application cannot be logged in there); the answer carries the client's handle.
     */
    Response openSession(Request r) {
        java.util.function.Predicate<HsmMember> home = pool.config().spreadSessions()
                ? HsmMember::hasSessionObjects : m -> m.sessions() > 0;
        return firstThatAnswers(pool.forNewSession(home), r.getFunctionCase(), m -> {
            HsmConnection c = pool.connect(m, "C_OpenSession");
            int epoch = c.epoch();
            Response resp = send(m, c, r);
            if (resp.getRv() != CKR.OK) {
                return resp;
            }
            Route route = new Route(m, c, epoch, resp.getNumber());
            m.sessionOpened(epoch);
            long handle = lastHandle.incrementAndGet();
            routes.put(handle, route);
            if (!logins.joinIfLoggedIn(route)) {
                routes.remove(handle);
                closeQuietly(route);
                return null;
            }
            return resp.toBuilder().setNumber(handle).build();
        });
    }

    /** One HSM's answer to {@code attempt} (null: try the next); an HSM unreachable before the call ran gives way to the next. */
    private static Response firstThatAnswers(List<HsmMember> order, Request.FunctionCase function,
                                             Function<HsmMember, Response> attempt) {
        CkException failure = null;
        for (HsmMember m : order) {
            try {
                Response r = attempt.apply(m);
                if (r != null) {
                    return r;
                }
            } catch (HsmConnection.Unreachable u) {
                if (!u.neverRan()) {
                    throw u;
                }
                failure = u;
            } catch (CkException notConnected) {
                failure = notConnected;
            }
        }
        throw failure != null ? failure : noHsm(function);
    }

    private static CkException noHsm(Request.FunctionCase function) {
        String why = StatusMapping.functionName(function) + ": no HSM of the cluster is serving; "
                + StatusMapping.advice(Status.Code.UNAVAILABLE);
        ClientLog.get().problem("CKR_DEVICE_ERROR", why);
        return new CkException(CKR.DEVICE_ERROR, why);
    }

    /** C_CloseSession: the route goes whatever the HSM answers (a lost HSM's session is gone anyway), unless throttled. */
    Response closeSession(Request r) {
        long handle = RequestSessions.session(r);
        Route route;
        try {
            route = live(handle, r.getFunctionCase());
        } catch (CkException lostOrUnknown) {
            Route gone = routes.remove(handle);
            if (gone != null) {
                closed(gone);
            }
            throw lostOrUnknown;
        }
        boolean stillOpen = false;
        try {
            Response resp = send(route, RequestSessions.withSession(r, route.nodeHandle()));
            stillOpen = resp.getThrottled(); // the call did nothing
            return resp;
        } finally {
            if (!stillOpen && routes.remove(handle) != null) {
                closed(route);
            }
        }
    }

    private void closed(Route route) {
        route.member().sessionClosed(route.epoch());
        if (routes.isEmpty()) {
            logins.forget(); // PKCS#11: the application's last session closed, so it is logged out
        }
    }

    private void closeQuietly(Route route) {
        try {
            send(route, Request.newBuilder().setCloseSession(Session.newBuilder().setSession(route.nodeHandle())).build());
        } catch (CkException ignored) {
            // the HSM is gone: so is the session
        }
        route.member().sessionClosed(route.epoch());
    }

    /** C_CloseAllSessions: on every HSM holding sessions of the application (or any one, to check the slot). */
    Response closeAllSessions(Request r) {
        Set<HsmMember> holding = new HashSet<>();
        routes.values().forEach(route -> holding.add(route.member()));
        if (holding.isEmpty()) {
            return anyHsm(r);
        }
        Response answer = null;
        CkException failure = null;
        Set<HsmMember> closedOn = new HashSet<>();
        for (HsmMember m : holding) {
            try {
                Response resp = send(m, m.connection(), r);
                if (resp.getRv() == CKR.OK) {
                    closedOn.add(m);
                }
                if (answer == null || resp.getRv() != CKR.OK) {
                    answer = resp;
                }
            } catch (CkException e) {
                closedOn.add(m); // unreachable: its sessions are gone with it
                failure = e;
            }
        }
        routes.entrySet().removeIf(e -> {
            Route route = e.getValue();
            boolean gone = closedOn.contains(route.member());
            if (gone) {
                route.member().sessionClosed(route.epoch());
            }
            return gone;
        });
        if (routes.isEmpty()) {
            logins.forget();
        }
        if (answer == null) {
            throw failure;
        }
        return answer;
    }

    /** True when the application has a live session other than {@code except} (on an HSM still connected as when it was opened). */
    boolean anyLiveBesides(Route except) {
        for (Route route : routes.values()) {
            if (route != except && route.connection().epoch() == route.epoch()) {
                return true;
            }
        }
        return false;
    }

    /** A live session of the application on {@code m}, or null: the handle to log the application in there. */
    Route anyLiveOn(HsmMember m) {
        for (Route route : routes.values()) {
            if (route.member() == m && route.connection().epoch() == route.epoch()) {
                return route;
            }
        }
        return null;
    }
}
