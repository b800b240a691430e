package io.jhsm.engine.mechanism.kdf;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.MechanismParams.PrfDataParam;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The three SP 800-108 constructions (counter §5.1, feedback §5.2, double pipeline §5.3) over the
 * PRF input the caller lays out as CK_PRF_DATA_PARAMs, and the layout rules PKCS#11 3.0 §2.42 sets
 * for each mode. The iteration variable is the counter i (counter mode), K(i-1) (feedback, K(0) the
 * IV) or A(i) (double pipeline, where A(0) is the layout without the iteration variable and the
 * optional counter, and A(i) = PRF(A(i-1))).
 */
enum Sp800108Mode {
    COUNTER, FEEDBACK, DOUBLE_PIPELINE;

    /** The DKM length both ways §2.42.7 counts it, in bytes: the keys alone, or the whole PRF segments they use. */
    record DkmBytes(long sumOfKeys, long sumOfSegments) {}

    /**
     * Exactly one iteration variable (a CK_SP800_108_COUNTER_FORMAT in counter mode, no value in the
     * other two), at most one optional counter (never in counter mode), at most one DKM length,
     * byte arrays of at least one byte (§2.42.3), and no other type.
     */
    void validate(List<PrfDataParam> params) {
        int iteration = 0;
        int counter = 0;
        int dkm = 0;
        for (PrfDataParam d : params) {
            long t = d.type();
            if (t == Sp800108Formats.ITERATION_VARIABLE) {
                iteration++;
                if (this == COUNTER) {
                    Sp800108Formats.Counter.parse(d.value());
                } else if (d.value() != null && d.value().length != 0) {
                    throw invalid("the " + this + " iteration variable takes no value");
                }
            } else if (t == Sp800108Formats.OPTIONAL_COUNTER) {
                counter++;
                Sp800108Formats.Counter.parse(d.value());
            } else if (t == Sp800108Formats.DKM_LENGTH) {
                dkm++;
                Sp800108Formats.DkmLength.parse(d.value());
            } else if (t == Sp800108Formats.BYTE_ARRAY) {
                if (d.value() == null || d.value().length == 0) {
                    throw invalid("a CK_SP800_108_BYTE_ARRAY must hold at least one byte");
                }
            } else {
                throw invalid("unsupported data parameter type " + t);
            }
        }
        if (iteration != 1) {
            throw invalid(iteration + " iteration variables, exactly one is required");
        }
        if (counter > (this == COUNTER ? 0 : 1)) {
            throw invalid("an optional counter is allowed once, and only in feedback and double-pipeline mode");
        }
        if (dkm > 1) {
            throw invalid("at most one DKM length is allowed");
        }
    }

    /**
     * {@code segments} PRF outputs K(1) … K(segments), concatenated. {@code iv} is the feedback
     * mode's K(0) (null for none); the data parameters must have passed {@link #validate}.
     */
    byte[] generate(Prf prf, List<PrfDataParam> params, byte[] iv, int segments, DkmBytes dkm) {
        int h = prf.length();
        byte[] out = new byte[Math.multiplyExact(segments, h)];
        byte[] chain = iv == null ? new byte[0] : iv;
        byte[] a = this == DOUBLE_PIPELINE ? fixedInput(params, dkm) : null;
        for (int i = 1; i <= segments; i++) {
            if (a != null) {
                prf.update(a);
                a = prf.doFinal();
            }
            for (PrfDataParam d : params) {
                prf.update(d.type() == Sp800108Formats.ITERATION_VARIABLE ? iterationVariable(d, i, chain, a) : field(d, i, dkm));
            }
            chain = prf.doFinal();
            System.arraycopy(chain, 0, out, (i - 1) * h, h);
        }
        // The last segment and A(i) are key material too; only the caller's IV is left as it was.
        if (chain != iv) {
            Arrays.fill(chain, (byte) 0);
        }
        if (a != null) {
            Arrays.fill(a, (byte) 0);
        }
        return out;
    }

    private byte[] iterationVariable(PrfDataParam d, long i, byte[] chain, byte[] a) {
        return switch (this) {
            case COUNTER -> Sp800108Formats.Counter.parse(d.value()).encode(i);
            case FEEDBACK -> chain;
            case DOUBLE_PIPELINE -> a;
        };
    }

    /** Every field but the iteration variable, as it reads in round {@code i}. */
    private static byte[] field(PrfDataParam d, long i, DkmBytes dkm) {
        long t = d.type();
        if (t == Sp800108Formats.OPTIONAL_COUNTER) {
            return Sp800108Formats.Counter.parse(d.value()).encode(i);
        }
        if (t == Sp800108Formats.DKM_LENGTH) {
            Sp800108Formats.DkmLength f = Sp800108Formats.DkmLength.parse(d.value());
            long bytes = f.method() == Sp800108Formats.DKM_SUM_OF_KEYS ? dkm.sumOfKeys() : dkm.sumOfSegments();
            return f.encode(Math.multiplyExact(bytes, 8L));
        }
        return d.value();
    }

    /** A(0) of the double pipeline: the layout without the iteration variable and the counter (§2.42.6). */
    private static byte[] fixedInput(List<PrfDataParam> params, DkmBytes dkm) {
        ByteArrayOutputStream a0 = new ByteArrayOutputStream();
        for (PrfDataParam d : params) {
            if (d.type() != Sp800108Formats.ITERATION_VARIABLE && d.type() != Sp800108Formats.OPTIONAL_COUNTER) {
                a0.writeBytes(field(d, 0, dkm));
            }
        }
        return a0.toByteArray();
    }

    private static CkException invalid(String message) {
        return new CkException(CKR.MECHANISM_PARAM_INVALID, message);
    }
}
