package io.jhsm.bridge;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;

/**
 * Collects one callback per function index and hands them to the shim. It also holds them for the
 * life of the module: JNA frees a callback's native stub once the Java object is collected, and the
 * C tables would then point at freed code.
 */
final class CallbackRegistry {
    /** Daemon and kept attached; JNA uses it only if a thread reaches a callback unattached (the shim attaches first). */
    private static final CallbackThreadInitializer STAY_ATTACHED = new CallbackThreadInitializer(true, false, "jhsm-caller");

    private final Callback[] callbacks = new Callback[FunctionTable.COUNT];
    /** The same callbacks with one shape, for the shim's direct JNI path ({@link NativeBoot#call}). */
    private final Shapes.F10[] direct = new Shapes.F10[FunctionTable.COUNT];

    void put(int index, Callback callback) {
        if (FunctionTable.answeredInC(index) || callbacks[index] != null) {
            throw new IllegalArgumentException("function index " + index + " is answered in C or already set");
        }
        callbacks[index] = callback;
        direct[index] = widened(callback);
    }

    Shapes.F10[] direct() {
        return direct.clone();
    }

    /** A callback of any arity as one of ten arguments; the shim passes 0 for the ones a function does not have. */
    private static Shapes.F10 widened(Callback c) {
        if (c instanceof Shapes.F1 f) {
            return (a, b, cc, d, e, g, h, i, j, k) -> f.invoke(a);
        } else if (c instanceof Shapes.F2 f) {
            return (a, b, cc, d, e, g, h, i, j, k) -> f.invoke(a, b);
        } else if (c instanceof Shapes.F3 f) {
            return (a, b, cc, d, e, g, h, i, j, k) -> f.invoke(a, b, cc);
        } else if (c instanceof Shapes.F4 f) {
            return (a, b, cc, d, e, g, h, i, j, k) -> f.invoke(a, b, cc, d);
        } else if (c instanceof Shapes.F5 f) {
            return (a, b, cc, d, e, g, h, i, j, k) -> f.invoke(a, b, cc, d, e);
        } else if (c instanceof Shapes.F6 f) {
            return (a, b, cc, d, e, g, h, i, j, k) -> f.invoke(a, b, cc, d, e, g);
        } else if (c instanceof Shapes.F7 f) {
            return (a, b, cc, d, e, g, h, i, j, k) -> f.invoke(a, b, cc, d, e, g, h);
        } else if (c instanceof Shapes.F8 f) {
            return (a, b, cc, d, e, g, h, i, j, k) -> f.invoke(a, b, cc, d, e, g, h, i);
        } else if (c instanceof Shapes.F9 f) {
            return (a, b, cc, d, e, g, h, i, j, k) -> f.invoke(a, b, cc, d, e, g, h, i, j);
        } else if (c instanceof Shapes.F10 f) {
            return f;
        }
        throw new IllegalArgumentException("not a PKCS#11 callback shape: " + c.getClass());
    }

    /** Every index the C list forwards to Java must have a callback: a gap would be a silent CKR_FUNCTION_NOT_SUPPORTED. */
    void requireComplete() {
        for (int i = 0; i < callbacks.length; i++) {
            if (!FunctionTable.answeredInC(i) && callbacks[i] == null) {
                throw new IllegalStateException("no callback for function index " + i);
            }
        }
    }

    /** Hands every callback to the shim through JNA (a shim without the direct path). */
    void registerAll() {
        requireComplete();
        for (int i = 0; i < callbacks.length; i++) {
            if (callbacks[i] != null) {
                Native.setCallbackThreadInitializer(callbacks[i], STAY_ATTACHED);
                ShimLibrary.jhsm_register(i, callbacks[i]);
            }
        }
    }
}
