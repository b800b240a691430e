package io.jhsm.engine;

import io.jhsm.engine.cloudhsm.AuditEvent;
import io.jhsm.engine.cloudhsm.AuditLog;
import io.jhsm.engine.diag.KillPoint;
import io.jhsm.engine.session.Session;
import io.jhsm.engine.store.AuditIntent;
import io.jhsm.engine.token.LoginState;
import io.jhsm.engine.token.Pins;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Puts the PKCS#11 management events (login, logout, key generation, import, wrap, unwrap, derive,
 * destroy, token and PIN initialisation, PIN changes) into the token's audit log, refusals included:
 * the engine routes each such call through one method here. A call that changes the store commits its
 * record with the change (see {@link AuditIntent}); the others are recorded after they return or fail.
 */
final class AuditHooks {
    private final ModuleState m;
    private final Map<Long, AuditLog> logs = new ConcurrentHashMap<>();

    AuditHooks(ModuleState m) {
        this.m = m;
    }

    /** Runs a key operation; the keys it names and the handles it returns go into the record. */
    long[] keys(long hSession, String opcode, Supplier<long[]> body, long... named) {
        Session s = m.session(hSession);
        return committed(s.token(), opcode, s.handle(), user(s.token()), "pkcs11", false, body, named);
    }

    /**
     * Runs a call that may change the store, with an {@link AuditIntent} open: each store write it commits
     * carries the call's record (see AuditIntent), so a change is never committed without one. The log file
     * then takes that record from token.db; a call that committed nothing (refused, session objects only)
     * is appended directly.
     */
    private long[] committed(Token t, String opcode, long session, String user, String detail, boolean coversUsers,
                             Supplier<long[]> body, long... named) {
        AuditLog log = log(t);
        try (AuditIntent intent = AuditIntent.open(
                ids -> AuditLog.pendingRecord(event(opcode, session, 0, user, detail, named, ids)), coversUsers)) {
            long[] result;
            try {
                result = body.get();
            } catch (RuntimeException e) {
                long rv = e instanceof CkException ck ? ck.rv() : CKR.GENERAL_ERROR;
                AuditEvent refused = event(opcode, session, rv, user, detail, named, intent.committed());
                settle(t, log, intent, refused);
                throw e;
            }
            KillPoint.reached(KillPoint.AUDIT_AFTER_COMMIT);
            List<Long> keys = new ArrayList<>();
            for (long k : result) {
                keys.add(k);
            }
            AuditEvent done = event(opcode, session, 0, user, detail, named, keys);
            if (intent.row() != 0 && new HashSet<>(keys(named, keys)).equals(new HashSet<>(keys(named, intent.committed())))) {
                log.sync();
            } else {
                // Nothing committed, or the call also returned session objects the committed record lacks.
                settle(t, log, intent, done);
            }
            return result;
        }
    }

    /** Puts the call's final record in the log: in place of its committed one, or as a new record. */
    private static void settle(Token t, AuditLog log, AuditIntent intent, AuditEvent e) {
        if (intent.row() != 0 && t.store().amendAudit(intent.row(), AuditLog.pendingRecord(e))) {
            log.sync();
        } else {
            log.append(e);
        }
    }

    /** C_InitToken: recorded under the SO the PIN names (never the PIN). */
    void initToken(Token t, byte[] soPin, Runnable body) {
        committed(t, "CN_INIT_TOKEN", 0, userNamed(soPin, CKU.SO), "pkcs11", false, () -> {
            body.run();
            return new long[0];
        });
    }

    /** C_InitPIN and C_SetPIN: the user whose PIN is set goes into the detail, the PIN nowhere. */
    void pin(long hSession, String opcode, byte[] newPin, Runnable body) {
        Session s = m.session(hSession);
        String target = userNamed(newPin, CKU.USER);
        committed(s.token(), opcode, s.handle(), user(s.token()), "pkcs11 pin of " + target, true, () -> {
            body.run();
            return new long[0];
        });
    }

    /** The user name part of a PIN ("name:password"), or "" when there is none to read. */
    private static String userNamed(byte[] pin, long role) {
        try {
            return pin == null ? "" : Pins.parse(pin, role).user();
        } catch (CkException e) {
            return "";
        }
    }

    long key(long hSession, String opcode, Supplier<Long> body, long... named) {
        return keys(hSession, opcode, () -> new long[] {body.get()}, named)[0];
    }

    /** A wrap returns a length, not a handle: only the named keys are recorded. */
    int wrap(long hSession, Supplier<Integer> body, long wrapping, long key) {
        int[] length = new int[1];
        keys(hSession, "CN_WRAP_KEY", () -> {
            length[0] = body.get();
            return new long[0];
        }, wrapping, key);
        return length[0];
    }

    void run(long hSession, String opcode, Runnable body, long... named) {
        keys(hSession, opcode, () -> {
            body.run();
            return new long[0];
        }, named);
    }

    /** C_Login: the user named by the PIN, whether or not the login succeeds. */
    void login(long hSession, long userType, byte[] pin, Runnable body) {
        Session s = m.session(hSession);
        String user;
        try {
            user = pin == null ? "" : Pins.parse(pin, userType).user();
        } catch (CkException e) {
            user = "";
        }
        try {
            body.run();
        } catch (CkException e) {
            if (e.rv() != CKR.USER_ALREADY_LOGGED_IN) {
                record(s, "CN_LOGIN", e.rv(), user, new long[0], new long[0]);
            }
            throw e;
        }
        record(s, "CN_LOGIN", 0, user, new long[0], new long[0]);
    }

    /** C_Logout: recorded under the user who was logged in. */
    void logout(long hSession, Runnable body) {
        Session s = m.session(hSession);
        String user = user(s.token());
        body.run();
        record(s, "CN_LOGOUT", 0, user, new long[0], new long[0]);
    }

    private static String user(Token t) {
        LoginState l = t.login();
        return l == null ? "" : l.user();
    }

    private void record(Session s, String opcode, long rv, String user, long[] named, long[] result) {
        List<Long> keys = new ArrayList<>();
        for (long k : result) {
            keys.add(k);
        }
        log(s.token()).append(event(opcode, s.handle(), rv, user, "pkcs11", named, keys));
    }

    private static AuditEvent event(String opcode, long session, long rv, String user, String detail, long[] named,
                                    List<Long> made) {
        return AuditEvent.mgmt(opcode, session, rv, user, keys(named, made), detail);
    }

    /** The keys a record names: the call's named handles, then those it made, each once. */
    private static List<Long> keys(long[] named, List<Long> made) {
        List<Long> keys = new ArrayList<>();
        for (long k : named) {
            keys.add(k);
        }
        for (long k : made) {
            if (!keys.contains(k)) {
                keys.add(k);
            }
        }
        return keys;
    }

    private AuditLog log(Token t) {
        long slot = t.slotId();
        return logs.computeIfAbsent(slot, k -> new AuditLog(m.config.tokenDirectory((int) slot), t.store()));
    }

    /** C_Finalize: the logs kept open between records are closed. */
    void close() {
        logs.values().forEach(AuditLog::close);
        logs.clear();
    }
}
