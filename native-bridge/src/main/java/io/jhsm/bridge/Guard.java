package io.jhsm.bridge;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;

/**
 * Wraps each callback so that nothing thrown in Java reaches JNA: JNA would answer CKR_OK (0) for a
 * callback that throws, telling the application an operation succeeded when it did not.
 */
final class Guard {
    private Guard() {}

    /** The CK_RV for a failure: a CkException's own; anything else is logged once and is a general error. */
    static long rv(String function, Throwable t) {
        if (t instanceof CkException ck) {
            return ck.rv();
        }
        try {
            StackTraceElement[] at = t.getStackTrace();
            // Class and message only: engine messages must not carry key material or PINs, and values are never logged here.
            System.err.println("jhsm: " + function + " failed: " + t + (at.length > 0 ? " at " + at[0] : ""));
        } catch (Throwable ignored) {
            // Logging must not turn a failure into CKR_OK.
        }
        return t instanceof OutOfMemoryError ? CKR.HOST_MEMORY : CKR.GENERAL_ERROR;
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
