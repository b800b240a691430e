package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds keys the way CloudHSM CLI's --filter does: attr.NAME=VALUE over what key list shows. */
final class KeyFinder {
    private KeyFinder() {}

    static List<Map<String, Object>> find(KeySession k, List<String> filters) {
        k.engine.C_FindObjectsInit(k.session, List.of());
        long[] handles = k.engine.C_FindObjects(k.session, 100_000);
        k.engine.C_FindObjectsFinal(k.session);
        List<Map<String, Object>> out = new ArrayList<>();
        for (long h : handles) {
            Map<String, Object> d = KeyAttributes.describe(h, k.engine.C_GetAttributeValue(k.session, h, KeyAttributes.SHOWN));
            if (!"other".equals(d.get("class")) && matches(d, filters)) {
                out.add(d);
            }
        }
        return out;
    }

    private static boolean matches(Map<String, Object> d, List<String> filters) {
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (!f.startsWith("attr.") || eq < 0) {
                throw new HsmException(HsmException.Code.BAD_INPUT, "filters are attr.NAME=VALUE, not '" + f + "'");
            }
            Object actual = d.get(f.substring(5, eq));
            if (actual == null || !String.valueOf(actual).equals(f.substring(eq + 1))) {
                return false;
            }
        }
        return true;
    }

    /** Exactly one key: a handle, or a filter matching one key. */
    static long one(KeySession k, String spec) {
        if (spec.matches("\\d+")) {
            return Long.parseLong(spec);
        }
        List<Map<String, Object>> found = find(k, List.of(spec));
        if (found.size() != 1) {
            throw new HsmException(found.isEmpty() ? HsmException.Code.NOT_FOUND : HsmException.Code.BAD_INPUT,
                    found.size() + " keys match " + spec + "; name exactly one");
        }
        return (Long) found.get(0).get("key-reference");
    }
}
