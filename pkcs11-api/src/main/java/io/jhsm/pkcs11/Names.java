package io.jhsm.pkcs11;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reverse lookup from a constant's value to its C name, for logs and error messages. */
final class Names {
    private static final Map<Class<?>, Map<Long, String>> TABLES = new ConcurrentHashMap<>();

    private Names() {}

    static String of(Class<?> vocabulary, long value) {
        String name = TABLES.computeIfAbsent(vocabulary, Names::table).get(value);
        return name != null ? name : vocabulary.getSimpleName() + "_0x" + Long.toHexString(value).toUpperCase();
    }

    /** The first declared name wins where the headers give one value several names. */
    private static Map<Long, String> table(Class<?> vocabulary) {
        Map<Long, String> names = new HashMap<>();
        for (Field f : vocabulary.getDeclaredFields()) {
            if (f.getType() == long.class && Modifier.isStatic(f.getModifiers())) {
                try {
                    names.putIfAbsent(f.getLong(null), vocabulary.getSimpleName() + "_" + f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Map.copyOf(names);
    }
}
