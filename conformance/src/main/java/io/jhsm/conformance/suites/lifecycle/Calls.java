package io.jhsm.conformance.suites.lifecycle;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import java.util.Arrays;
import java.util.HexFormat;

/** One call of an operation, made for real (ample output buffer) or as a length query (NULL output buffer). */
final class Calls {
    private Calls() {}

    enum Fn { SINGLE, UPDATE, FINAL }

    /** A call and its input (Final takes none). */
    record Call(Fn fn, byte[] data) {
        String describe(Operation op) {
            return switch (fn) {
                case SINGLE -> op.name + "(" + data.length + " B)";
                case UPDATE -> op.name + "Update(" + data.length + " B)";
                case FINAL -> op.name + "Final";
            };
        }
    }

    /** What a call answered: its CK_RV and the bytes it returned (the length, for a query). */
    record Answer(long rv, byte[] out) {
        boolean sameAs(Answer other) {
            return rv == other.rv && Arrays.equals(out, other.out);
        }

        @Override
        public String toString() {
            return CKR.name(rv) + (rv == CKR.OK ? " " + out.length + " B " + HexFormat.of().formatHex(out, 0, Math.min(out.length, 20))
                    + (out.length > 20 ? "…" : "") : "");
        }
    }

    static Answer real(Operation op, Cryptoki p, long s, Call c) {
        return invoke(op, p, s, c, false);
    }

    static Answer query(Operation op, Cryptoki p, long s, Call c) {
        return invoke(op, p, s, c, true);
    }

    private static Answer invoke(Operation op, Cryptoki p, long s, Call c, boolean query) {
        byte[] buf = query ? null : new byte[c.data().length + 64];
        try {
            int n = switch (c.fn()) {
                case SINGLE -> op.single(p, s, c.data(), buf);
                case UPDATE -> op.update(p, s, c.data(), buf);
                case FINAL -> op.last(p, s, buf);
            };
            return new Answer(CKR.OK, query ? new byte[] {(byte) n, (byte) (n >>> 8)} : Arrays.copyOf(buf, n));
        } catch (CkException e) {
            return new Answer(e.rv(), new byte[0]);
        }
    }
}
