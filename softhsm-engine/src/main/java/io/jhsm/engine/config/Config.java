package io.jhsm.engine.config;

import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.engine.profile.TokenProfile;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where tokens live and how many slots there are. {@code JHSM_CONF} names a file of {@code key = value}
 * lines ({@code directory}, {@code slots}, {@code key-policy}, {@code legacy-algorithms}); without it, one slot under the user's XDG
 * data directory, so that a fresh install behaves like SoftHSM: one uninitialised token in slot 0.
 * {@code key-policy = strict} makes every token of the configuration strict ({@link KeyPolicyMode});
 * {@code legacy-algorithms = true} makes the tokens offer insecure legacy algorithms (single DES, MD5,
 * RSA-1024, DES3 wrapping), which CloudHSM does not; {@code profile = pkcs11|cloudhsm} gives every token of the
 * configuration that profile ({@link io.jhsm.engine.profile.ProfileSetting}), whatever the token's own.
 * {@code profileOverride} null: each token's own profile.
 */
public record Config(Path directory, int slots, KeyPolicyMode keyPolicy, boolean legacyAlgorithms,
                     TokenProfile profileOverride) {

    public static final String ENV = "JHSM_CONF";
    static final int MAX_SLOTS = 64;

    public Config {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("slots must be 1.." + MAX_SLOTS + ", got " + slots);
        }
        if (keyPolicy == null) {
            throw new IllegalArgumentException("no key policy");
        }
    }

    public Config(Path directory, int slots, KeyPolicyMode keyPolicy, boolean legacyAlgorithms) {
        this(directory, slots, keyPolicy, legacyAlgorithms, null);
    }

    /** The profile every token of this configuration has, when the configuration names one. */
    public Optional<TokenProfile> profile() {
        return Optional.ofNullable(profileOverride);
    }

    /** This configuration with every token under {@code profile} (null: each token's own). */
    public Config withProfile(TokenProfile profile) {
        return new Config(directory, slots, keyPolicy, legacyAlgorithms, profile);
    }

    /** The default key policy: PKCS#11, plus CloudHSM's rules on cluster tokens. */
    public Config(Path directory, int slots) {
        this(directory, slots, KeyPolicyMode.DEFAULT, false);
    }

    public Config(Path directory, int slots, KeyPolicyMode keyPolicy) {
        this(directory, slots, keyPolicy, false);
    }

    public Config(Path directory, int slots, boolean legacyAlgorithms) {
        this(directory, slots, KeyPolicyMode.DEFAULT, legacyAlgorithms);
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
        KeyPolicyMode keyPolicy = keyPolicy(file, strip(p.getProperty("key-policy")));
        int slotCount;
        try {
            slotCount = slots == null ? 1 : Integer.parseInt(slots);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + ": slots is not a number: " + slots, e);
        }
        return new Config(directory, slotCount, keyPolicy, flag(file, p, "legacy-algorithms"),
                profile(file, strip(p.getProperty("profile"))));
    }

    /** A true/false key, false when absent; anything else is a mistake worth stopping for. */
    private static boolean flag(Path file, Properties p, String key) {
        String v = strip(p.getProperty(key));
        if (v == null || v.equalsIgnoreCase("false")) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalStateException(file + ": " + key + " must be true or false, got " + v);
    }

    private static KeyPolicyMode keyPolicy(Path file, String value) {
        try {
            return value == null ? KeyPolicyMode.DEFAULT : KeyPolicyMode.parse(value, file.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static TokenProfile profile(Path file, String value) {
        try {
            return value == null ? null : TokenProfile.parse(value, file.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
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
