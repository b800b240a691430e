package io.jhsm.engine.mechanism;

import java.util.Map;
import java.util.TreeMap;

/** The mechanism table (placeholder until the mechanism families land). */
public final class MechanismRegistry {
    private final Map<Long, MechanismEntry> entries = new TreeMap<>();

    public static MechanismRegistry standard() {
        return new MechanismRegistry();
    }

    public MechanismEntry get(long type) {
        return entries.get(type);
    }

    public long[] types() {
        return entries.keySet().stream().mapToLong(Long::longValue).toArray();
    }
}
