package io.jhsm.engine.function;

import io.jhsm.engine.cloudhsm.AuditEvent;
import io.jhsm.engine.cloudhsm.AuditLog;
import io.jhsm.engine.session.Session;
import io.jhsm.engine.token.LoginState;
import io.jhsm.engine.token.Pins;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Puts the PKCS#11 management events (login, logout, key generation, import, wrap, unwrap, derive,
 * destroy) into the token's audit log, refusals included: the engine routes each such call through
 * one method here. An event is recorded after the call returns or fails, with its CK_RV.
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
        String user = user(s.token());
        try {
            long[] result = body.get();
            record(s, opcode, 0, user, named, result);
            return result;
        } catch (CkException e) {
            record(s, opcode, e.rv(), user, named, new long[0]);
            throw e;
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
        for (long k : named) {
            keys.add(k);
        }
        for (long k : result) {
            keys.add(k);
        }
        long slot = s.token().slotId();
        AuditLog log = logs.computeIfAbsent(slot, k -> new AuditLog(m.config.tokenDirectory((int) slot)));
        log.append(AuditEvent.mgmt(opcode, s.handle(), rv, user, keys, "pkcs11"));
    }

    /** C_Finalize: the logs kept open between records are closed. */
    public void close() {
        logs.values().forEach(AuditLog::close);
        logs.clear();
    }
}
