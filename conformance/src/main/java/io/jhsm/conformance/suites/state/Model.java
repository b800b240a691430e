package io.jhsm.conformance.suites.state;

import static io.jhsm.pkcs11.CKR.*;

import io.jhsm.conformance.suites.state.Call.Kind;
import io.jhsm.conformance.suites.state.Call.Out;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The reference model: what PKCS#11 3.0 (§5.5–5.7, §5.2 for output buffers) allows each call to
 * answer in the current state, and the state after each allowed answer. Where the specification
 * leaves a choice (a second operation of another kind, operations surviving C_Logout) the model
 * allows every permitted answer and follows the one the module gave.
 */
final class Model {
    enum Login { NONE, USER, SO }

    enum Op { ABSENT, FRESH, STARTED, UNKNOWN }

    static final class Session {
        boolean open = true;
        final boolean rw;
        final EnumMap<Kind, Op> ops = new EnumMap<>(Kind.class);

        Session(boolean rw) {
            this.rw = rw;
            for (Kind k : Kind.values()) {
                ops.put(k, Op.ABSENT);
            }
        }
    }

    static final class Obj {
        boolean alive = true;
        /** The handle lapsed at C_Logout (private objects); the module may or may not still honour it. */
        boolean lapsed;
        final boolean token, priv;
        final int owner;

        Obj(boolean token, boolean priv, int owner) {
            this.token = token;
            this.priv = priv;
            this.owner = owner;
        }
    }

    record Step(long[] allowed, LongConsumer commit) {}

    final List<Session> sessions = new ArrayList<>();
    final List<Obj> objects = new ArrayList<>();
    Login login = Login.NONE;

    /** The model index a call's session number names, or -1 when no session was ever opened. */
    int session(int s) {
        return sessions.isEmpty() ? -1 : s % sessions.size();
    }

    int object(int o) {
        return objects.isEmpty() ? -1 : o % objects.size();
    }

    boolean visible(Obj o) {
        return o.alive && (!o.priv || login == Login.USER);
    }

    Step plan(Call call) {
        if (call instanceof Call.Open c) {
            if (!c.rw() && login == Login.SO) {
                return only(SESSION_READ_WRITE_SO_EXISTS);
            }
            return new Step(rvs(OK), rv -> sessions.add(new Session(c.rw())));
        }
        if (call instanceof Call.CloseAll) {
            return new Step(rvs(OK), rv -> closeAll());
        }
        int si = session(call.s());
        if (si < 0 || !sessions.get(si).open) {
            return only(SESSION_HANDLE_INVALID);
        }
        Session s = sessions.get(si);
        if (call instanceof Call.Close) {
            return new Step(rvs(OK), rv -> close(si));
        }
        if (call instanceof Call.Login c) {
            return login(c.so());
        }
        if (call instanceof Call.Logout) {
            return login == Login.NONE ? only(USER_NOT_LOGGED_IN) : new Step(rvs(OK), rv -> logout());
        }
        if (call instanceof Call.Info) {
            return only(OK);
        }
        if (call instanceof Call.Create c) {
            return create(si, s, c);
        }
        if (call instanceof Call.Destroy c) {
            return destroy(s, c);
        }
        if (call instanceof Call.Find) {
            return findPlan(s);
        }
        return Operations.plan(this, s, call);
    }

    private Step login(boolean so) {
        Login role = so ? Login.SO : Login.USER;
        if (login == role) {
            return only(USER_ALREADY_LOGGED_IN);
        }
        boolean roExists = sessions.stream().anyMatch(x -> x.open && !x.rw);
        if (login != Login.NONE) {
            // Both conditions may hold; the specification ranks neither.
            return so && roExists ? only(USER_ANOTHER_ALREADY_LOGGED_IN, SESSION_READ_ONLY_EXISTS)
                    : only(USER_ANOTHER_ALREADY_LOGGED_IN);
        }
        if (so && roExists) {
            return only(SESSION_READ_ONLY_EXISTS);
        }
        return new Step(rvs(OK), rv -> login = role);
    }

    private Step create(int si, Session s, Call.Create c) {
        boolean ro = c.token() && !s.rw;
        boolean noUser = c.priv() && login != Login.USER;
        if (ro && noUser) {
            return only(SESSION_READ_ONLY, USER_NOT_LOGGED_IN);
        }
        if (ro) {
            return only(SESSION_READ_ONLY);
        }
        if (noUser) {
            return only(USER_NOT_LOGGED_IN);
        }
        return new Step(rvs(OK), rv -> objects.add(new Obj(c.token(), c.priv(), si)));
    }

    private Step destroy(Session s, Call.Destroy c) {
        int oi = object(c.o());
        if (oi < 0) {
            return only(OBJECT_HANDLE_INVALID);
        }
        Obj o = objects.get(oi);
        if (!o.alive) {
            return only(OBJECT_HANDLE_INVALID);
        }
        if (o.priv && login != Login.USER) {
            return only(OBJECT_HANDLE_INVALID, USER_NOT_LOGGED_IN);
        }
        if (o.token && !s.rw) {
            return o.lapsed ? only(SESSION_READ_ONLY, OBJECT_HANDLE_INVALID) : only(SESSION_READ_ONLY);
        }
        long[] allowed = o.lapsed ? rvs(OK, OBJECT_HANDLE_INVALID) : rvs(OK);
        return new Step(allowed, rv -> o.alive = rv != OK && o.alive);
    }

    /** Finding runs Init, Find and Final in one step; another active operation may refuse the Init. */
    private Step findPlan(Session s) {
        boolean busy = s.ops.values().stream().anyMatch(op -> op != Op.ABSENT);
        return busy ? only(OK, OPERATION_ACTIVE) : only(OK);
    }

    private void close(int si) {
        sessions.get(si).open = false;
        for (Obj o : objects) {
            if (!o.token && o.owner == si) {
                o.alive = false;
            }
        }
        if (sessions.stream().noneMatch(x -> x.open)) {
            login = Login.NONE;
        }
    }

    private void closeAll() {
        for (int i = 0; i < sessions.size(); i++) {
            if (sessions.get(i).open) {
                close(i);
            }
        }
        login = Login.NONE;
    }

    /** C_Logout: private session objects are destroyed, handles to private objects lapse, operations may or may not survive. */
    private void logout() {
        login = Login.NONE;
        for (Obj o : objects) {
            if (o.priv && !o.token) {
                o.alive = false;
            }
            if (o.priv) {
                o.lapsed = true;
            }
        }
        for (Session s : sessions) {
            s.ops.replaceAll((k, op) -> op == Op.ABSENT ? Op.ABSENT : Op.UNKNOWN);
        }
    }

    static long[] rvs(long... rvs) {
        return rvs;
    }

    static Step only(long... rvs) {
        return new Step(rvs, rv -> {});
    }

    /** Output lengths the model relies on: SHA-256 digests, AES-ECB of one 16-byte block. */
    static int outputLength(Kind k, boolean once) {
        return k == Kind.DIGEST ? 32 : once ? 16 : 0;
    }

    static boolean fits(Out out, int length) {
        return out == Out.EXACT || (out == Out.SMALL && length == 0);
    }
}
