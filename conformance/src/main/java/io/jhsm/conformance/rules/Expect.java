package io.jhsm.conformance.rules;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Assertions for rules. The runner (and the shaded jar) has no JUnit, so rules fail with a plain
 * {@link AssertionError}, which QuickTheories treats as a falsified property.
 */
public final class Expect {
    private Expect() {}

    public interface Call {
        void run() throws Exception;
    }

    public static void isTrue(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    public static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

    public static void bytes(byte[] expected, byte[] actual, String what) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError(what + ": expected " + hex(expected) + ", got " + hex(actual));
        }
    }

    /** Runs a call that may throw checked exceptions inside a property (which takes only unchecked ones). */
    public static void run(Call call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The call fails with one of {@code allowed} (CKR_OK included when listed); returns the CK_RV seen. */
    public static long rv(String what, Call call, long... allowed) {
        long rv = rvOf(call);
        if (LongStream.of(allowed).noneMatch(a -> a == rv)) {
            throw new AssertionError(what + ": expected " + names(allowed) + ", got " + CKR.name(rv));
        }
        return rv;
    }

    /** The call's CK_RV: CKR_OK when it returns, the exception's CK_RV when it throws CkException. */
    public static long rvOf(Call call) {
        try {
            call.run();
            return CKR.OK;
        } catch (CkException e) {
            return e.rv();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static String names(long... rvs) {
        return LongStream.of(rvs).mapToObj(CKR::name).collect(Collectors.joining(" or "));
    }

    static String hex(byte[] b) {
        return b == null ? "null" : HexFormat.of().formatHex(b);
    }
}
