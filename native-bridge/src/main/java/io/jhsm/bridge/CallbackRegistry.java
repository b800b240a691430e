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

    void put(int index, Callback callback) {
        if (FunctionTable.answeredInC(index) || callbacks[index] != null) {
            throw new IllegalArgumentException("function index " + index + " is answered in C or already set");
        }
        callbacks[index] = callback;
        Native.setCallbackThreadInitializer(callback, STAY_ATTACHED);
    }

    /** Every index the C list forwards to Java must have a callback: a gap would be a silent CKR_FUNCTION_NOT_SUPPORTED. */
    void registerAll() {
        for (int i = 0; i < callbacks.length; i++) {
            if (!FunctionTable.answeredInC(i) && callbacks[i] == null) {
                throw new IllegalStateException("no callback for function index " + i);
            }
        }
        for (int i = 0; i < callbacks.length; i++) {
            if (callbacks[i] != null) {
                ShimLibrary.jhsm_register(i, callbacks[i]);
            }
        }
    }
}
