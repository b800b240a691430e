package io.jhsm.engine.profile;

import io.jhsm.engine.cloudhsm.ClusterState;
import io.jhsm.engine.store.TokenStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which profile a token has. The token's own choice is the file {@value #FILE} in its directory (one word,
 * {@code pkcs11} or {@code cloudhsm}, written by {@code jhsm hsm set-profile}); without it a cluster (made by
 * {@code jhsm cluster create}) is {@code cloudhsm} and any other token {@code pkcs11}. A {@code profile} line in
 * JHSM_CONF overrides both for the processes that read that configuration, so one application can try the same
 * token under either profile. Read when a process opens the token.
 */
public final class ProfileSetting {
    public static final String FILE = "profile";

    private ProfileSetting() {}

    /** The profile a process with configuration override {@code configured} (may be empty) gives this token. */
    public static TokenProfile effective(Optional<TokenProfile> configured, Path tokenDirectory) {
        return configured.orElseGet(() -> read(tokenDirectory));
    }

    /** The token's own profile: its file, else the default for its kind. */
    public static TokenProfile read(Path tokenDirectory) {
        return chosen(tokenDirectory).orElseGet(() -> defaultFor(tokenDirectory));
    }

    /** The profile a token has with no choice made: cloudhsm for a cluster, pkcs11 otherwise. */
    public static TokenProfile defaultFor(Path tokenDirectory) {
        return ClusterState.managed(tokenDirectory) ? TokenProfile.CLOUDHSM : TokenProfile.PKCS11;
    }

    /** The token's own choice, when one was made. */
    public static Optional<TokenProfile> chosen(Path tokenDirectory) {
        Path file = tokenDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(TokenProfile.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token's profile " + file + ": " + e.getMessage()
                    + " (make it readable, or remove it for the default profile)", e);
        }
    }

    /** Writes the choice (atomically; in a cluster of HSMs on every HSM: {@link TokenStores#writeSetting}). */
    public static void write(Path tokenDirectory, TokenProfile profile) {
        TokenStores.writeSetting(tokenDirectory, FILE, profile.text() + "\n");
    }
}
