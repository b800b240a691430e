package io.jhsm.bridge;

import com.sun.jna.Native;

/**
 * The entry the C shim calls (through JNI, once per process) when the JVM is up: binds to the
 * shim and registers every callback. Threads from C arrive already attached: the shim attaches a
 * foreign thread on its first call and keeps it attached until it exits, so JNA never attaches
 * and detaches around a call.
 */
public final class NativeBoot {
    private NativeBoot() {}

    private static CallbackRegistry registry;
    /** Set before boot returns; volatile, as the threads that call come from C, not from here. */
    private static volatile Shapes.F10[] direct;

    /**
     * For a shim without the direct path: binds to it and registers every callback through JNA.
     * Returns 0 when every callback is registered; anything else makes the shim report CKR_GENERAL_ERROR.
     */
    public static synchronized int boot(String libraryPath) {
        return start(libraryPath, true);
    }

    /**
     * For a shim that calls {@link #call}: the callbacks are only collected, not handed to JNA, which
     * saves building ~90 native callback stubs at every cold start.
     */
    public static synchronized int bootDirect(String libraryPath) {
        return start(libraryPath, false);
    }

    private static int start(String libraryPath, boolean throughJna) {
        try {
            if (registry != null) {
                return 0;
            }
            CallbackRegistry r = new CallbackRegistry();
            GeneralCallbacks.install(r);
            SlotTokenCallbacks.install(r);
            SessionCallbacks.install(r);
            ObjectCallbacks.install(r);
            CipherCallbacks.install(r);
            DigestSignCallbacks.install(r);
            KeyCallbacks.install(r);
            KemCallbacks.install(r);
            VerifySignatureCallbacks.install(r);
            AuthenticatedWrapCallbacks.install(r);
            MessageCallbacks.install(r);
            r.requireComplete();
            if (throughJna) {
                ShimLibrary.bind(libraryPath);
                // A second line of defence: Guard already catches everything, but a throw past it must be seen.
                Native.setCallbackExceptionHandler((callback, e) -> System.err.println("jhsm: uncaught in callback: " + e));
                r.registerAll();
            }
            direct = r.direct();
            registry = r;
            return 0;
        } catch (Throwable t) {
            System.err.println("jhsm: bridge bootstrap failed: " + t);
            return 1;
        }
    }

    /**
     * The shim's direct path into Java: one JNI static call with the function's index and its
     * arguments as ten longs (unused ones 0), instead of JNA's callback dispatch (libffi closure,
     * argument boxing and five JNI calls per call: 60% of a C_OpenSession). A shim that finds this
     * method and {@link #bootDirect} uses them; with an older bridge (on a host's class path) it falls
     * back to {@link #boot} and the JNA callbacks. Each callback is already wrapped by {@link Guard},
     * so nothing is thrown here.
     */
    static long call(int index, long a, long b, long c, long d, long e, long f, long g, long h, long i, long j) {
        return direct[index].invoke(a, b, c, d, e, f, g, h, i, j);
    }
}
