package io.jhsm.engine.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens token stores, and knows which token directories belong to a cluster of HSMs: an HSM node that
 * is a Raft peer registers its {@link Replicator} for its token directory before the engine opens it,
 * and from then on that directory's stores replicate every write ({@link ReplicatedTokenStore}) and its
 * settings files replicate their changes ({@link #replicate(Path, SettingsDiff)}). Without a registered
 * replicator (in process, a standalone node) a store is the plain SqliteTokenStore, as it always was.
 */
public final class TokenStores {
    private static final Map<Path, Registration> REPLICATORS = new ConcurrentHashMap<>();

    /** A directory's replicator and the codec sealing its commands (made on first use: device.key may not exist before). */
    private static final class Registration {
        final Replicator replicator;
        volatile CommandCodec codec;

        Registration(Replicator replicator) {
            this.replicator = replicator;
        }
    }

    private TokenStores() {}

    /** The store of {@code tokenDirectory}: replicated when a replicator is registered for it. */
    public static TokenStore open(Path tokenDirectory) {
        SqliteTokenStore local = SqliteTokenStore.open(tokenDirectory);
        Registration r = REPLICATORS.get(key(tokenDirectory));
        return r == null ? local : new ReplicatedTokenStore(local, r.replicator);
    }

    /** From now on, stores opened over {@code tokenDirectory} and its settings replicate through {@code replicator}. */
    public static void replicateThrough(Path tokenDirectory, Replicator replicator) {
        REPLICATORS.put(key(tokenDirectory), new Registration(replicator));
    }

    /** Stores opened from now on write locally again (stores already open keep replicating). */
    public static void stopReplicating(Path tokenDirectory) {
        REPLICATORS.remove(key(tokenDirectory));
    }

    public static Optional<Replicator> replicator(Path tokenDirectory) {
        Registration r = REPLICATORS.get(key(tokenDirectory));
        return r == null ? Optional.empty() : Optional.of(r.replicator);
    }

    /**
     * Writes the settings file {@code file} of {@code tokenDirectory} (a one-word choice such as the key policy
     * or the profile) atomically (temporary file, then rename), so a reader sees the old or the new content;
     * in a cluster of HSMs, on every HSM through the replicated log.
     */
    public static void writeSetting(Path tokenDirectory, String file, String content) {
        SettingsDiff change = SettingsDiff.content(file, content);
        if (!replicate(tokenDirectory, change)) {
            SettingsDiff.writeFile(tokenDirectory.resolve(file), change.set().get(SettingsDiff.CONTENT));
        }
    }

    /**
     * Replicates a settings change of {@code tokenDirectory} when it belongs to a cluster; the change is
     * then made by applying it ({@code ReplicatedState}) on every HSM, this one included, before this
     * returns. False when there is no replicator: the caller makes the change itself.
     *
     * @throws NotCommittedException the cluster did not commit it: nothing changed
     */
    public static boolean replicate(Path tokenDirectory, SettingsDiff diff) {
        Registration r = REPLICATORS.get(key(tokenDirectory));
        if (r == null) {
            return false;
        }
        if (diff.isEmpty()) {
            return true;
        }
        CommandCodec codec = r.codec;
        if (codec == null) {
            codec = new CommandCodec(new SealedBlobs(StorageKey.load(tokenDirectory).orElseThrow(() -> new TokenStoreException(
                    tokenDirectory.resolve(StorageKey.FILE_NAME) + " is missing: a cluster HSM's settings are sealed under the"
                            + " cluster key; provision the cluster's device.key to this HSM before it starts"))));
            r.codec = codec;
        }
        CommandWriter out = new CommandWriter();
        diff.write(out);
        CommandResult.decode(r.replicator.replicate(codec.encode(CommandKind.SETTINGS, null, out.toByteArray())))
                .valueOrThrow();
        return true;
    }

    /**
     * Makes {@code tokenDirectory} a new, empty token sealed under the cluster's key: copies
     * {@code clusterKeyFile} (another HSM's device.key) in as device.key (0600) and creates token.db.
     * For a caller that opens the token with a plain store first (a ReplicatedState takes a bare cluster
     * key as it is): a device.key beside no database is otherwise taken for a lost database, and refused.
     */
    public static void provision(Path tokenDirectory, Path clusterKeyFile) {
        Path db = tokenDirectory.resolve(SqliteTokenStore.DATABASE_FILE);
        Path key = tokenDirectory.resolve(StorageKey.FILE_NAME);
        try {
            if (Files.exists(db) && Files.size(db) > 0) {
                throw new TokenStoreException(tokenDirectory + " already holds a token (" + db + "): a new HSM's"
                        + " token directory must be empty; remove it or choose another directory");
            }
            Files.createDirectories(tokenDirectory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(key, Files.readAllBytes(clusterKeyFile));
        } catch (IOException e) {
            throw new TokenStoreException("cannot provision the cluster key " + clusterKeyFile + " to " + key + " (" + e
                    + "): check that both are readable and the directory writable", e);
        }
        StorageKey.load(tokenDirectory).orElseThrow();
        SqliteTokenStore.open(tokenDirectory, true).close();
    }

    private static Path key(Path tokenDirectory) {
        return tokenDirectory.toAbsolutePath().normalize();
    }
}
