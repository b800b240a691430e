package io.jhsm.engine.cloudhsm;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import io.jhsm.engine.store.SettingsDiff;
import io.jhsm.engine.store.TokenStores;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The CloudHSM settings of one token ({@value #FILE} in the token directory): cluster lifecycle,
 * quorum values and keys, open quorum tokens, backup retention. Its presence marks a token managed
 * as a CloudHSM cluster. Updates are read-modify-write under an exclusive lock on a side file and
 * land by atomic rename, so readers in other processes see either the old or the new settings.
 */
public final class StateFile {
    public static final String FILE = "cloudhsm.properties";
    private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();
    private static final Map<Path, Object> REPLICATING = new ConcurrentHashMap<>();

    private final Path file;

    public StateFile(Path tokenDirectory) {
        this.file = tokenDirectory.resolve(FILE).toAbsolutePath().normalize();
    }

    public boolean exists() {
        return Files.exists(file);
    }

    public Properties read() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return p;
    }

    /**
     * Applies a change atomically; the change may throw to leave the file as it was. In a cluster of HSMs
     * the change is computed on a copy and replicated as a diff, which every HSM (this one included)
     * applies before this returns ({@link #applyLocally}); NotCommittedException leaves it unchanged.
     */
    public Properties update(Consumer<Properties> change) {
        Path directory = file.getParent();
        if (TokenStores.replicator(directory).isEmpty()) {
            return locally(change);
        }
        // Serialises this process's changes to the file (the apply side takes the other monitor: held here, it would deadlock).
        synchronized (REPLICATING.computeIfAbsent(file, k -> new Object())) {
            Properties before = read();
            Properties after = new Properties();
            after.putAll(before);
            change.accept(after);
            TokenStores.replicate(directory, SettingsDiff.between(FILE, before, after));
            return read();
        }
    }

    /** A replicated change, applied here (idempotent: keys set, keys removed). */
    public void applyLocally(SettingsDiff diff) {
        locally(diff::applyTo);
    }

    /** Replaces every setting (a replication snapshot installed). */
    public void replaceLocally(Properties settings) {
        locally(p -> {
            p.clear();
            p.putAll(settings);
        });
    }

    private Properties locally(Consumer<Properties> change) {
        Object monitor = MONITORS.computeIfAbsent(file, k -> new Object());
        synchronized (monitor) {
            try {
                Files.createDirectories(file.getParent());
                Path lockFile = file.resolveSibling(FILE + ".lock");
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = ch.lock()) {
                    Properties p = read();
                    change.accept(p);
                    Path tmp = file.resolveSibling(FILE + ".tmp");
                    try (Writer w = Files.newBufferedWriter(tmp)) {
                        p.store(w, "jhsm CloudHSM settings");
                    }
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update " + file, e);
            }
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
