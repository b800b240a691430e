package io.jhsm.bridge;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The shim's one export for Java, {@code jhsm_register(int index, void *fn)}, bound with JNA direct
 * mapping: passing a Callback through a direct-mapped method makes JNA build a direct callback
 * stub, whose calls reach the Java method without boxing or reflection.
 */
final class ShimLibrary {
    private ShimLibrary() {}

    static native void jhsm_register(int index, Callback fn);

    /** Binds to the libjhsm.so already loaded in this process (dlopen of the same path returns it). */
    static void bind(String libraryPath) {
        Native.register(ShimLibrary.class, NativeLibrary.getInstance(libraryPath));
    }
}
