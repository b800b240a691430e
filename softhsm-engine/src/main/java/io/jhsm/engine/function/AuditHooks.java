package io.jhsm.engine.function;

import io.jhsm.engine.cloudhsm.AuditEvent;
import io.jhsm.engine.cloudhsm.AuditLog;
import io.jhsm.engine.cloudhsm.AuditedChange;
import io.jhsm.engine.session.Session;
import io.jhsm.engine.token.LoginState;
import io.jhsm.engine.token.Pins;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Puts the PKCS#11 management events (login, logout, key generation, import, wrap, unwrap, derive,
 * destroy, token and PIN initialisation, PIN changes) into the token's audit log, refusals included:
 * the engine routes each such call through one method here. A call that changes the store commits its
 * record with the change (see {@link AuditedChange}); the others are recorded after they return or fail.
 */
public final class AuditHooks {
    private final ModuleState m;
    private final Map<Long, AuditLog> logs = new ConcurrentHashMap<>();

    AuditHooks(ModuleState m) {
        this.m = m;
    }

    /** Runs a key operation; the keys it names and the handles it returns go into the record. */
    public long[] keys(long hSession, String opcode, Supplier<long[]> body, long... named) {
        Session s = m.session(hSession);
        return committed(s.token(), opcode, s.handle(), user(s.token()), "pkcs11", false, body, named);
    }

    /** Runs a call that may change the store: its record commits with the change (see {@link AuditedChange}). */
    private long[] committed(Token t, String opcode, long session, String user, String detail, boolean coversUsers,
                             Supplier<long[]> body, long... named) {
        return AuditedChange.run(log(t), t.store(), coversUsers,
                (rv, made, failure) -> event(opcode, session, rv, user, detail, named, made), body);
    }

    /** C_InitToken: recorded under the SO the PIN names (never the PIN). */
    public void initToken(Token t, byte[] soPin, Runnable body) {
        committed(t, "CN_INIT_TOKEN", 0, userNamed(soPin, CKU.SO), "pkcs11", false, () -> {
            body.run();
            return new long[0];
        });
    }

    /** C_InitPIN and C_SetPIN: the user whose PIN is set goes into the detail, the PIN nowhere. */
    public void pin(long hSession, String opcode, byte[] newPin, Runnable body) {
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

    public long key(long hSession, String opcode, Supplier<Long> body, long... named) {
        return keys(hSession, opcode, () -> new long[] {body.get()}, named)[0];
    }

    /** A wrap returns a length, not a handle: only the named keys are recorded. */
    public int wrap(long hSession, Supplier<Integer> body, long wrapping, long key) {
        int[] length = new int[1];
        keys(hSession, "CN_WRAP_KEY", () -> {
            length[0] = body.get();
            return new long[0];
        }, wrapping, key);
        return length[0];
    }

    public void run(long hSession, String opcode, Runnable body, long... named) {
        keys(hSession, opcode, () -> {
            body.run();
            return new long[0];
        }, named);
    }

    /** C_Login: the user named by the PIN, whether or not the login succeeds. */
    public void login(long hSession, long userType, byte[] pin, Runnable body) {
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
    public void logout(long hSession, Runnable body) {
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
    public void close() {
        logs.values().forEach(AuditLog::close);
        logs.clear();
    }
}
