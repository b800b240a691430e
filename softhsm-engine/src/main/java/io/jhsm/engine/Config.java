package io.jhsm.engine;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where tokens live and how many slots there are. {@code JHSM_CONF} names a file of {@code key = value}
 * lines ({@code directory}, {@code slots}); without it, one slot under the user's XDG data directory,
 * so that a fresh install behaves like SoftHSM: one uninitialised token in slot 0.
 */
public record Config(Path directory, int slots) {

    public static final String ENV = "JHSM_CONF";
    static final int MAX_SLOTS = 64;

    public Config {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("slots must be 1.." + MAX_SLOTS + ", got " + slots);
        }
    }

    public Path tokenDirectory(int slot) {
        return directory.resolve("slot-" + slot);
    }

    public static Config fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Config fromEnvironment(Map<String, String> env) {
        String file = env.get(ENV);
        if (file != null && !file.isBlank()) {
            return load(Path.of(file));
        }
        return new Config(defaultDirectory(env), 1);
    }

    static Config load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (CharacterCodingException e) {
            // The decoder's own message ("Input length = 1") names neither the file nor the problem.
            throw new IllegalStateException(ENV + " file " + file + " is not UTF-8 text (it holds binary data):"
                    + " it must be lines of key = value, e.g. directory = /path/to/tokens", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + ENV + " file " + file + ": " + e.getMessage(), e);
        }
        String dir = strip(p.getProperty("directory"));
        Path directory = dir == null ? defaultDirectory(System.getenv())
                : file.toAbsolutePath().getParent().resolve(dir).normalize();
        String slots = strip(p.getProperty("slots"));
        try {
            return new Config(directory, slots == null ? 1 : Integer.parseInt(slots));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + ": slots is not a number: " + slots, e);
        }
    }

    /** Properties keeps trailing comments as part of a value: "1   # one slot" must read as 1. */
    private static String strip(String value) {
        if (value == null) {
            return null;
        }
        int hash = value.indexOf(" #");
        String v = (hash >= 0 ? value.substring(0, hash) : value).trim();
        return v.isEmpty() ? null : v;
    }

    private static Path defaultDirectory(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("jhsm");
    }
}
