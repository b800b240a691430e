package io.jhsm.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A change to one settings file of a token, as keys set and keys removed, so applying it twice is
 * applying it once (a replayed log entry is harmless). {@code target} is the file's path relative to the
 * token directory (cloudhsm.properties, key-policy, ../backups/retention-days). A whole-content file
 * (one word or number) is the single key {@link #CONTENT}.
 */
public record SettingsDiff(String target, Map<String, String> set, List<String> removed) {
    /** The key standing for a whole-content file's text. */
    public static final String CONTENT = "";

    /** What turns {@code before} into {@code after}. */
    public static SettingsDiff between(String target, Properties before, Properties after) {
        Map<String, String> set = new TreeMap<>();
        for (String key : after.stringPropertyNames()) {
            String value = after.getProperty(key);
            if (!Objects.equals(value, before.getProperty(key))) {
                set.put(key, value);
            }
        }
        List<String> removed = new ArrayList<>();
        for (String key : before.stringPropertyNames()) {
            if (after.getProperty(key) == null) {
                removed.add(key);
            }
        }
        return new SettingsDiff(target, set, removed);
    }

    /** A whole-content file's new text. */
    public static SettingsDiff content(String target, String text) {
        return new SettingsDiff(target, Map.of(CONTENT, text), List.of());
    }

    public boolean isEmpty() {
        return set.isEmpty() && removed.isEmpty();
    }

    public void applyTo(Properties p) {
        set.forEach(p::setProperty);
        removed.forEach(p::remove);
    }

    /** Writes a whole-content file atomically (temporary file, then rename): readers see the old or the new text. */
    public static void writeFile(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage()
                    + " (check that this user may write its directory)", e);
        }
    }

    void write(CommandWriter out) {
        out.string(target).number(set.size());
        set.forEach((k, v) -> out.string(k).string(v));
        out.number(removed.size());
        removed.forEach(out::string);
    }

    static SettingsDiff read(CommandReader in) {
        String target = in.string();
        Map<String, String> set = new TreeMap<>();
        for (int n = in.smallNumber(); n > 0; n--) {
            set.put(in.string(), in.string());
        }
        List<String> removed = new ArrayList<>();
        for (int n = in.smallNumber(); n > 0; n--) {
            removed.add(in.string());
        }
        return new SettingsDiff(target, set, removed);
    }
}
