package io.jhsm.conformance.suites.abi;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.pkcs11.CKR;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Calls a module's functions with raw pointers and lengths (NULL, huge, garbage) and collects every
 * CK_RV that is not one the rule allows. Used only in a child process: a module that crashes must
 * not take the suite with it.
 */
final class RawAbi {
    final FunctionList f;
    final List<String> failures = new ArrayList<>();

    RawAbi(FunctionList f) {
        this.f = f;
    }

    /** Calls entry {@code index} and records a failure unless the CK_RV is one of {@code allowed}. */
    long expect(String what, long[] allowed, int index, Object... args) {
        long rv = f.call(index, args);
        if (LongStream.of(allowed).noneMatch(a -> a == rv)) {
            failures.add(what + ": expected " + io.jhsm.conformance.rules.Expect.names(allowed) + ", got " + CKR.name(rv));
        }
        return rv;
    }

    static long[] rv(long... rvs) {
        return rvs;
    }

    static Memory ulong(long v) {
        Memory m = new Memory(8);
        m.setLong(0, v);
        return m;
    }

    static Memory bytes(byte[] b) {
        Memory m = new Memory(Math.max(1, b.length));
        m.write(0, b, 0, b.length);
        return m;
    }

    static Memory mechanism(long type) {
        Memory m = new Memory(24);
        m.clear();
        m.setLong(0, type);
        return m;
    }

    static final Pointer NULL = Pointer.NULL;
}
