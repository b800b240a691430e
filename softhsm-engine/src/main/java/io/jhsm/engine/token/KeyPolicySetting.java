package io.jhsm.engine.token;

import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.engine.store.TokenStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A token's own key-policy choice ({@value #FILE} in the token directory, one word: {@code default} or
 * {@code strict}), set by {@code jhsm hsm set-key-policy}. No file means DEFAULT. It is read when a
 * process opens the token, so a change binds processes that open the token afterwards.
 */
public final class KeyPolicySetting {
    public static final String FILE = "key-policy";

    private KeyPolicySetting() {}

    public static KeyPolicyMode read(Path tokenDirectory) {
        Path file = tokenDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return KeyPolicyMode.DEFAULT;
        }
        try {
            return KeyPolicyMode.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token's key policy " + file + ": " + e.getMessage()
                    + " (make it readable, or remove it for the default policy)", e);
        }
    }

    /** Writes the choice (atomically; in a cluster of HSMs on every HSM: {@link TokenStores#writeSetting}). */
    public static void write(Path tokenDirectory, KeyPolicyMode mode) {
        TokenStores.writeSetting(tokenDirectory, FILE, mode.text() + "\n");
    }
}
