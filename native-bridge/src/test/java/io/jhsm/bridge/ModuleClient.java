package io.jhsm.bridge;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Path;

/** Calls dist/libjhsm.so the way a C application does: through C_GetFunctionList's table. */
final class ModuleClient {
    static final Path DIST = Path.of(System.getProperty("jhsm.dist", "../dist")).toAbsolutePath().normalize();
    static final NativeLibrary LIB = NativeLibrary.getInstance(DIST.resolve("libjhsm.so").toString());

    final Pointer list;

    ModuleClient() {
        PointerByReference ref = new PointerByReference();
        long rv = LIB.getFunction("C_GetFunctionList").invokeLong(new Object[] {ref});
        if (rv != 0) {
            throw new IllegalStateException("C_GetFunctionList: " + rv);
        }
        list = ref.getValue();
    }

    /** Calls the function at {@code index} of the list (CK_VERSION occupies the first 8 bytes). */
    long call(int index, Object... args) {
        return function(list, index).invokeLong(args);
    }

    static Function function(Pointer list, int index) {
        return Function.getFunction(list.getPointer(8 + 8L * index));
    }

    static Memory ulong(long value) {
        Memory m = new Memory(8);
        m.setLong(0, value);
        return m;
    }

    /** A CK_ATTRIBUTE array of {type, pValue, ulValueLen} triples. */
    static Memory attributes(long[] types, Pointer[] values, long[] lengths) {
        Memory m = new Memory(24L * types.length);
        for (int i = 0; i < types.length; i++) {
            m.setLong(24L * i, types[i]);
            m.setPointer(24L * i + 8, values[i]);
            m.setLong(24L * i + 16, lengths[i]);
        }
        return m;
    }

    static Memory bytes(byte[] b) {
        Memory m = new Memory(Math.max(1, b.length));
        m.write(0, b, 0, b.length);
        return m;
    }

    /** A CK_MECHANISM. */
    static Memory mechanism(long type, Pointer param, long len) {
        Memory m = new Memory(24);
        m.setLong(0, type);
        m.setPointer(8, param);
        m.setLong(16, len);
        return m;
    }
}
