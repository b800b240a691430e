package io.jhsm.conformance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads softhsm-known-failures.md: one "- `rule.id` — reason" line per rule expected to fail. */
final class KnownFailures {
    private KnownFailures() {}

    private static final Pattern LINE = Pattern.compile("^- `([^`]+)`\\s*[—:-]+\\s*(.+)$");

    static Map<String, String> parse(String markdown) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : markdown.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }
}
