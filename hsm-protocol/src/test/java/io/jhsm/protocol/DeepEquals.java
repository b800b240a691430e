package io.jhsm.protocol;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/** Structural equality of the api's records, byte arrays by content (records compare arrays by reference). */
final class DeepEquals {
    private DeepEquals() {}

    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof LongConsumer && b instanceof LongConsumer) {
            return true; // phKey: where a handle goes is each side's own
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.getClass().isRecord() && a.getClass() == b.getClass()) {
            try {
                for (RecordComponent c : a.getClass().getRecordComponents()) {
                    if (!equal(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
                        return false;
                    }
                }
                return true;
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return a.equals(b);
    }
}
