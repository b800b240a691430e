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
 * call on it goes to that HSM with its node handle, never reaching a newer node session that happens to have
 * the same node handle. A session survives its HSM's loss, as the native client's does (the Cryptoki seam): the
 * call in flight fails (StatusMapping: CKR_DEVICE_REMOVED); while no HSM can take the session its calls fail at
 * once with CKR_DEVICE_REMOVED; once one serves (the same one back, or another: failover) the next call re-opens a
 * node session there with the same slot and flags, logs the application in if it is logged in ({@link Logins}),
 * logs one warning line and runs. CloudHSM: in-progress operations on a lost HSM may fail and must be retried
 * ([UG]/bp-cluster-management.html). What lived only in the lost node session (an active operation, a search,
 * session objects) is gone, as PKCS#11 would have it. Pooling consumers need this: libp11 and SunPKCS11's session
 * manager keep their session handles and never reopen them.
 */
final class SessionRouter {
    /**
     * Where a client session handle lives: the HSM, the connection (and its epoch) its node session was opened on,
     * the node's handle; and the slot and flags it was opened with, to re-open it after its HSM's loss.
     */
    record Route(HsmMember member, HsmConnection connection, int epoch, long nodeHandle, long slot, long flags) {
        /** The node session is still there: the connection is the one it was opened on. */
        boolean current() {
            return connection.epoch() == epoch;
        }
    }

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

    /**
     * The route of a client handle, its node session re-opened first when its HSM connection is no longer the one
     * it was opened on ({@link #reopen}); else the CK_RV thrown.
     */
    Route live(long handle, Request.FunctionCase function) {
        while (true) {
            Route route = routes.get(handle);
            if (route == null) {
                throw new CkException(CKR.SESSION_HANDLE_INVALID);
            }
            if (route.current()) {
                return route;
            }
            synchronized (route) { // one re-opening at a time per handle; the others then find the new route
                if (routes.get(handle) == route) {
                    return reopen(handle, route, function);
                }
            }
        }
    }

    /**
     * The session's node session went with its HSM's connection: a new one with the same slot and flags on the
     * first HSM that serves and on which the application, if logged in, can log in; CKR_DEVICE_REMOVED (as
     * StatusMapping maps a lost HSM) while none does.
     */
    private Route reopen(long handle, Route lost, Request.FunctionCase function) {
        if (!lost.connection().ready()) {
            pool.lost(lost.member());
        }
        String fn = StatusMapping.functionName(function);
        Request open = Request.newBuilder().setOpenSession(
                io.jhsm.protocol.v1.OpenSession.newBuilder().setSlot(lost.slot()).setFlags(lost.flags())).build();
        long deadline = deadline(); // the re-opening and the call itself each within call-timeout-ms
        Route reopened = firstThatAnswers(pool.forNewSession(home()), m -> {
            HsmConnection c = pool.connect(m, fn);
            int epoch = c.epoch();
            return placed(m, c, epoch, send(m, c, open, deadline), open);
        }, failure -> {
            long rv = StatusMapping.rv(Status.Code.UNAVAILABLE, function);
            String why = fn + ": the session's HSM " + lost.member().label() + " is lost and no HSM of the cluster can take"
                    + " the session; calls on it fail until one serves, then the session is re-opened there (check the"
                    + " nodes: jhsm cluster status)";
            ClientLog.get().problem(CKR.name(rv), why);
            return new CkException(rv, why);
        });
        if (!routes.replace(handle, lost, reopened)) { // closed meanwhile
            closeQuietly(reopened);
            throw new CkException(CKR.SESSION_HANDLE_INVALID);
        }
        ClientLog.get().warning("session " + handle + " re-opened on HSM " + reopened.member().label() + ": its HSM "
                + lost.member().label() + " was lost; what lived only in the old session (an active operation, a search,"
                + " session objects) is gone");
        return reopened;
    }

    /**
     * Where new sessions go first: with {@code session-placement = session} where the application's session objects
     * are, else where its sessions are.
     */
    private java.util.function.Predicate<HsmMember> home() {
        return pool.config().spreadSessions() ? HsmMember::hasSessionObjects : m -> m.sessions() > 0;
    }

    /**
     * The route of the node session {@code opened} (C_OpenSession's answer on {@code c}, then at {@code epoch}) with
     * the application logged in there if it is logged in; null (the next HSM) when the node refused the session or
     * the login there was refused.
     */
    private Route placed(HsmMember m, HsmConnection c, int epoch, Response opened, Request open) {
        if (opened.getRv() != CKR.OK) {
            return null;
        }
        Route route = new Route(m, c, epoch, opened.getNumber(), open.getOpenSession().getSlot(), open.getOpenSession().getFlags());
        m.sessionOpened(epoch);
        if (!logins.joinIfLoggedIn(route)) {
            closeQuietly(route);
            return null;
        }
        return route;
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
        return firstThatAnswers(pool.forAnyCall(),
                m -> send(m, pool.connect(m, StatusMapping.functionName(r.getFunctionCase())), r), orNoHsm(r.getFunctionCase()));
    }

    /**
     * C_OpenSession on the least-loaded serving HSM (the next one when it cannot be reached or the
     * application cannot be logged in there); the answer carries the client's handle.
     */
    Response openSession(Request r) {
        return firstThatAnswers(pool.forNewSession(home()), m -> {
            HsmConnection c = pool.connect(m, "C_OpenSession");
            int epoch = c.epoch();
            Response resp = send(m, c, r);
            if (resp.getRv() != CKR.OK) {
                return resp; // the node's answer (a bad slot, flags …) is the application's
            }
            Route route = placed(m, c, epoch, resp, r);
            if (route == null) {
                return null;
            }
            long handle = lastHandle.incrementAndGet();
            routes.put(handle, route);
            return resp.toBuilder().setNumber(handle).build();
        }, orNoHsm(r.getFunctionCase()));
    }

    /**
     * One HSM's answer to {@code attempt} (null: try the next); an HSM unreachable before the call ran gives way to
     * the next. None answered: what {@code none} makes of the last failure (null when every HSM declined).
     */
    private static <T> T firstThatAnswers(List<HsmMember> order, Function<HsmMember, T> attempt,
                                          Function<CkException, CkException> none) {
        CkException failure = null;
        for (HsmMember m : order) {
            try {
                T r = attempt.apply(m);
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
        throw none.apply(failure);
    }

    private static Function<CkException, CkException> orNoHsm(Request.FunctionCase function) {
        return failure -> failure != null ? failure : noHsm(function);
    }

    private static CkException noHsm(Request.FunctionCase function) {
        String why = StatusMapping.functionName(function) + ": no HSM of the cluster is serving; "
                + StatusMapping.advice(Status.Code.UNAVAILABLE);
        ClientLog.get().problem("CKR_DEVICE_ERROR", why);
        return new CkException(CKR.DEVICE_ERROR, why);
    }

    /**
     * C_CloseSession: the route goes whatever the HSM answers, unless throttled. A session whose HSM was lost
     * closes at once with CKR_OK: its node session ended with the connection (as the native client answers).
     */
    Response closeSession(Request r) {
        long handle = RequestSessions.session(r);
        Route route = routes.get(handle);
        if (route == null) {
            throw new CkException(CKR.SESSION_HANDLE_INVALID);
        }
        if (!route.current()) {
            if (routes.remove(handle, route)) {
                closed(route);
                return Response.newBuilder().setRv(CKR.OK).build();
            }
            return closeSession(r); // re-opened or closed meanwhile
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

    /** A live session of the application on {@code m}, or null: the handle to log the application in there. */
    Route anyLiveOn(HsmMember m) {
        for (Route route : routes.values()) {
            if (route.member() == m && route.current()) {
                return route;
            }
        }
        return null;
    }
}
