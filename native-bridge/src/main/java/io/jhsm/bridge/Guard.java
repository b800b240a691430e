package io.jhsm.bridge;

import io.jhsm.engine.diag.ProblemLog;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;

/**
 * Wraps each callback so that nothing thrown in Java reaches JNA: JNA would answer CKR_OK (0) for a
 * callback that throws, telling the application an operation succeeded when it did not.
 */
final class Guard {
    private Guard() {}

    /**
     * The CK_RV for a failure: a CkException's own, anything else a general error. A failure the
     * caller cannot act on from the CK_RV alone (device and general errors, an unrecognised token, an
     * internal fault) leaves its message in the problem log; the others are the application's own
     * errors and stay silent. Engine messages carry no key material or PIN (values are never put in them).
     */
    static long rv(String function, Throwable t) {
        long rv = t instanceof CkException ck ? ck.rv()
                : t instanceof OutOfMemoryError ? CKR.HOST_MEMORY : CKR.GENERAL_ERROR;
        if (explainable(rv) || !(t instanceof CkException)) {
            try {
                ProblemLog.get().error(function, describe(t));
            } catch (Throwable ignored) {
                // Logging must not turn a failure into CKR_OK.
            }
        }
        return rv;
    }

    static boolean explainable(long rv) {
        return rv == CKR.DEVICE_ERROR || rv == CKR.GENERAL_ERROR || rv == CKR.TOKEN_NOT_RECOGNIZED
                || rv == CKR.FUNCTION_FAILED;
    }

    /** The exception's own message, with its cause's when that says more; a non-CkException with where it happened. */
    static String describe(Throwable t) {
        StringBuilder b = new StringBuilder(t instanceof CkException ? String.valueOf(t.getMessage()) : t.toString());
        Throwable cause = t.getCause();
        if (cause != null && cause.getMessage() != null && !b.toString().contains(cause.getMessage())) {
            b.append(" (").append(cause.getMessage()).append(')');
        }
        StackTraceElement[] at = t.getStackTrace();
        if (!(t instanceof CkException) && at.length > 0) {
            b.append(" at ").append(at[0]);
        }
        return b.toString();
    }

    static Shapes.F1 f1(String n, Shapes.F1 body) {
        return a -> {
            try { return body.invoke(a); } catch (Throwable t) { return rv(n, t); }
        };
    }

    static Shapes.F2 f2(String n, Shapes.F2 body) {
        return (a, b) -> {
            try { return body.invoke(a, b); } catch (Throwable t) { return rv(n, t); }
        };
    }

    static Shapes.F3 f3(String n, Shapes.F3 body) {
        return (a, b, c) -> {
            try { return body.invoke(a, b, c); } catch (Throwable t) { return rv(n, t); }
        };
    }

    static Shapes.F4 f4(String n, Shapes.F4 body) {
        return (a, b, c, d) -> {
            try { return body.invoke(a, b, c, d); } catch (Throwable t) { return rv(n, t); }
        };
    }

    static Shapes.F5 f5(String n, Shapes.F5 body) {
        return (a, b, c, d, e) -> {
            try { return body.invoke(a, b, c, d, e); } catch (Throwable t) { return rv(n, t); }
        };
    }

    static Shapes.F6 f6(String n, Shapes.F6 body) {
        return (a, b, c, d, e, f) -> {
            try { return body.invoke(a, b, c, d, e, f); } catch (Throwable t) { return rv(n, t); }
        };
    }

    static Shapes.F7 f7(String n, Shapes.F7 body) {
        return (a, b, c, d, e, f, g) -> {
            try { return body.invoke(a, b, c, d, e, f, g); } catch (Throwable t) { return rv(n, t); }
        };
    }

    static Shapes.F8 f8(String n, Shapes.F8 body) {
        return (a, b, c, d, e, f, g, h) -> {
            try { return body.invoke(a, b, c, d, e, f, g, h); } catch (Throwable t) { return rv(n, t); }
        };
    }

    static Shapes.F9 f9(String n, Shapes.F9 body) {
        return (a, b, c, d, e, f, g, h, i) -> {
            try { return body.invoke(a, b, c, d, e, f, g, h, i); } catch (Throwable t) { return rv(n, t); }
        };
    }

    static Shapes.F10 f10(String n, Shapes.F10 body) {
        return (a, b, c, d, e, f, g, h, i, j) -> {
            try { return body.invoke(a, b, c, d, e, f, g, h, i, j); } catch (Throwable t) { return rv(n, t); }
        };
    }
}
