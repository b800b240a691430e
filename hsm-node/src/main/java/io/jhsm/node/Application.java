package io.jhsm.node;

import io.jhsm.engine.Engine;
import io.jhsm.engine.config.Config;
import io.jhsm.engine.token.TokenCounts;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client connection as a PKCS#11 application: an engine of its own over the node's directory
 * (so its sessions share one login state, as one process's do in process), made on the first call
 * (a management-only connection never opens the store) and finalised when the connection ends,
 * which closes its sessions and logs it out. It also tracks its open sessions for the node-wide
 * session limit.
 */
final class Application {
    private final Config config;
    private final SessionLimit limit;
    final String peer;
    final SessionHandles handles = new SessionHandles();
    private final Map<Long, Long> sessions = new ConcurrentHashMap<>(); // engine handle → slot
    /** Read on every call without a lock: an application's calls run in parallel (the engine is thread-safe). */
    private volatile Engine engine;
    private volatile boolean closed;

    Application(Config config, SessionLimit limit, String peer) {
        this.config = config;
        this.limit = limit;
        this.peer = peer;
    }

    Engine engine() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (this) {
            if (closed) {
                throw new CkException(CKR.DEVICE_REMOVED, "the connection of " + peer + " is closing");
            }
            if (engine == null) {
                Engine fresh = new Engine(config);
                fresh.C_Initialize(new InitializeArgs(CKF.OS_LOCKING_OK, false, false));
                engine = fresh;
            }
            return engine;
        }
    }

    /** True once the engine is open: the first call opens the store and is not quick. */
    boolean opened() {
        return engine != null;
    }

    /** The new session's handle as this application sees it (SessionHandles). */
    long openSession(long slot, long flags, boolean notify) {
        Engine e = engine();
        if (!limit.reserve()) {
            throw new CkException(CKR.SESSION_COUNT, "this HSM has its maximum of " + limit.max()
                    + " sessions open (CloudHSM's HsmSessionCount): close sessions or spread the load over more HSMs");
        }
        try {
            long h = e.C_OpenSession(slot, flags, notify);
            sessions.put(h, slot);
            return handles.toWire(h);
        } catch (RuntimeException ex) {
            limit.release(1);
            throw ex;
        }
    }

    void closeSession(long h) {
        engine().C_CloseSession(h);
        if (sessions.remove(h) != null) {
            limit.release(1);
        }
    }

    void closeAllSessions(long slot) {
        engine().C_CloseAllSessions(slot);
        sessions.entrySet().removeIf(s -> {
            if (s.getValue() == slot) {
                limit.release(1);
                return true;
            }
            return false;
        });
    }

    /** The keys this application sees on slot 0 (null before its first call opened the engine). */
    TokenCounts counts() {
        Engine e = engine;
        return e == null ? null : e.counts(0);
    }

    int sessionCount() {
        return sessions.size();
    }

    /** The connection ended: C_Finalize closes every session of this application and logs it out. */
    void close() {
        Engine e;
        synchronized (this) {
            closed = true;
            e = engine;
            engine = null;
        }
        int open = sessions.size();
        sessions.clear();
        limit.release(open);
        if (e != null) {
            e.C_Finalize();
        }
    }
}
