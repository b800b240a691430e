package io.jhsm.conformance.suites.state;

import static io.jhsm.pkcs11.CKR.*;

import io.jhsm.conformance.suites.state.Call.Kind;
import io.jhsm.conformance.suites.state.Call.Out;
import io.jhsm.conformance.suites.state.Model.Op;
import io.jhsm.conformance.suites.state.Model.Session;
import io.jhsm.conformance.suites.state.Model.Step;

/**
 * The active-operation rules (PKCS#11 3.0 §5.2, §5.8–5.12): one operation of a kind at a time; an
 * Init while one is active is CKR_OPERATION_ACTIVE; a single-part call after an update is
 * CKR_OPERATION_ACTIVE; any error other than CKR_BUFFER_TOO_SMALL, and any successful call that
 * delivers the final output, ends the operation; a length query or a too-small buffer keeps it.
 */
final class Operations {
    private Operations() {}

    static Step plan(Model m, Session s, Call call) {
        if (call instanceof Call.OpInit c) {
            return init(s, c.k());
        }
        if (call instanceof Call.OpCancel c) {
            return new Step(Model.rvs(OK), rv -> s.ops.put(c.k(), Op.ABSENT));
        }
        if (call instanceof Call.OpUpdate c) {
            return update(s, c.k());
        }
        if (call instanceof Call.OpFinal c) {
            return deliver(s, c.k(), c.out(), Model.outputLength(c.k(), false), false, false);
        }
        Call.OpOnce c = (Call.OpOnce) call;
        return deliver(s, c.k(), c.out(), Model.outputLength(c.k(), true), true, c.badLength() && c.k() == Kind.ENCRYPT);
    }

    private static Step init(Session s, Kind k) {
        Op op = s.ops.get(k);
        if (op == Op.FRESH || op == Op.STARTED) {
            return Model.only(OPERATION_ACTIVE);
        }
        boolean otherActive = s.ops.entrySet().stream().anyMatch(e -> e.getKey() != k && e.getValue() != Op.ABSENT);
        if (op == Op.UNKNOWN || otherActive) {
            // An operation of another kind may block this one (CKR_OPERATION_ACTIVE lists that case).
            return new Step(Model.rvs(OK, OPERATION_ACTIVE), rv -> {
                if (rv == OK) {
                    s.ops.put(k, Op.FRESH);
                }
            });
        }
        return new Step(Model.rvs(OK), rv -> s.ops.put(k, Op.FRESH));
    }

    private static Step update(Session s, Kind k) {
        Op op = s.ops.get(k);
        if (op == Op.ABSENT) {
            return Model.only(OPERATION_NOT_INITIALIZED);
        }
        long[] allowed = op == Op.UNKNOWN ? Model.rvs(OK, OPERATION_NOT_INITIALIZED) : Model.rvs(OK);
        return new Step(allowed, rv -> s.ops.put(k, rv == OK ? Op.STARTED : Op.ABSENT));
    }

    /** C_xFinal or the single-part C_x: the output protocol of §5.2 on an output of {@code length} bytes. */
    private static Step deliver(Session s, Kind k, Out out, int length, boolean once, boolean badLength) {
        Op op = s.ops.get(k);
        if (op == Op.ABSENT) {
            return Model.only(OPERATION_NOT_INITIALIZED);
        }
        if (op == Op.UNKNOWN) {
            return new Step(Model.rvs(OK, OPERATION_NOT_INITIALIZED, OPERATION_ACTIVE, BUFFER_TOO_SMALL, DATA_LEN_RANGE),
                    rv -> s.ops.put(k, rv == BUFFER_TOO_SMALL || (rv == OK && out == Out.NULL) ? Op.UNKNOWN : Op.ABSENT));
        }
        if (once && op == Op.STARTED) {
            return new Step(Model.rvs(OPERATION_ACTIVE), rv -> s.ops.put(k, Op.ABSENT));
        }
        if (badLength) {
            // A module may answer a length query (or a short buffer) before judging the data.
            long[] allowed = out == Out.NULL ? Model.rvs(DATA_LEN_RANGE, OK)
                    : out == Out.SMALL ? Model.rvs(DATA_LEN_RANGE, BUFFER_TOO_SMALL) : Model.rvs(DATA_LEN_RANGE);
            return new Step(allowed, rv -> {
                if (rv == DATA_LEN_RANGE) {
                    s.ops.put(k, Op.ABSENT);
                }
            });
        }
        if (out == Out.NULL) {
            return Model.only(OK);
        }
        if (!Model.fits(out, length)) {
            return Model.only(BUFFER_TOO_SMALL);
        }
        return new Step(Model.rvs(OK), rv -> s.ops.put(k, Op.ABSENT));
    }
}
