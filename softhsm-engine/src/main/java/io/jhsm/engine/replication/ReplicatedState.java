package io.jhsm.engine.replication;

import io.jhsm.engine.cloudhsm.AuditLog;
import io.jhsm.engine.cloudhsm.Backups;
import io.jhsm.engine.cloudhsm.ClusterSnapshot;
import io.jhsm.engine.cloudhsm.StateFile;
import io.jhsm.engine.store.Command;
import io.jhsm.engine.store.CommandApplier;
import io.jhsm.engine.store.CommandKind;
import io.jhsm.engine.store.SettingsDiff;
import io.jhsm.engine.store.SqliteTokenStore;
import io.jhsm.engine.store.TamperedBlobException;
import io.jhsm.engine.store.TokenStoreException;
import io.jhsm.engine.token.KeyPolicySetting;
import io.jhsm.engine.profile.ProfileSetting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HSM's token directory as a replicated state machine: applies the cluster's log entries in order,
 * deterministically (ids and handles are assigned by the store in apply order, so a token object has the
 * same handle on every HSM) and idempotently (the applied index is stored in token.db in the transaction
 * of the change; an entry at or below it is skipped). Settings changes are diffs, harmless to replay.
 * Each HSM records the changes it applies in its own audit stream. Not for concurrent use beyond what the
 * state machine does: every method is synchronized.
 */
public final class ReplicatedState implements AutoCloseable {
    /** The settings files besides cloudhsm.properties a snapshot carries, relative to the token directory. */
    private static final List<String> SETTINGS_FILES = List.of(KeyPolicySetting.FILE, ProfileSetting.FILE, "../backups/" + Backups.RETENTION_FILE);

    private final Path directory;
    private final SqliteTokenStore store;
    private final CommandApplier applier;
    private final StateFile settings;
    private final AuditLog audit;
    private long applied;

    private ReplicatedState(Path directory, SqliteTokenStore store) {
        this.directory = directory;
        this.store = store;
        this.applier = new CommandApplier(store);
        this.settings = new StateFile(directory);
        this.audit = new AuditLog(directory, store);
        this.applied = store.appliedIndex();
    }

    /**
     * Its own store over the directory (never a replicated one): what it applies is already committed. A
     * directory holding only the cluster's device.key (a new HSM, provisioned) becomes an empty token.
     */
    public static ReplicatedState open(Path tokenDirectory) {
        Path directory = tokenDirectory.toAbsolutePath().normalize();
        return new ReplicatedState(directory, SqliteTokenStore.openReplica(directory));
    }

    /**
     * Applies log entry {@code index}; returns what the write answered here (to the HSM that made it).
     * An entry at or below {@link #appliedIndex()} is skipped, answering nothing.
     */
    public synchronized byte[] apply(long index, byte[] command) {
        if (index <= applied) {
            return CommandApplier.nothing();
        }
        Command c = open(index, command);
        byte[] result;
        if (c.kind() == CommandKind.SETTINGS) {
            applySettings(c.settings());
            store.recordApplied(index);
            result = CommandApplier.nothing();
        } else {
            result = applier.apply(index, c);
            if (c.audit() != null && !applier.madeHere(c)) {
                // Another HSM's call: this HSM's audit stream gets its record now (the calling HSM's call settles its own).
                audit.sync();
            }
        }
        applied = index;
        return result;
    }

    public synchronized long appliedIndex() {
        return applied;
    }

    /** Writes the state as a snapshot file (a CloudHSM backup file carrying ids, next id and the applied index). */
    public synchronized void writeSnapshot(Path file) {
        Map<String, String> files = new TreeMap<>();
        for (String name : SETTINGS_FILES) {
            Path f = directory.resolve(name).normalize();
            if (Files.exists(f)) {
                try {
                    files.put(name, Files.readString(f, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + f + " for a snapshot: " + e.getMessage(), e);
                }
            }
        }
        ClusterSnapshot.write(file, directory, new ClusterSnapshot.State(store.image(), settings.read(), files));
    }

    /** Replaces this HSM's state by a snapshot's: objects keep their ids, the next id and the applied index come along. */
    public synchronized void installSnapshot(Path file) {
        ClusterSnapshot.State state = ClusterSnapshot.read(file, directory);
        // Settings first: token.db then says which entry the state is at, so a crash in between is made good by the log.
        if (settings.exists() || !state.settings().isEmpty()) {
            // a plain token has no cluster file: an empty one would make it read as an uninitialised cluster
            settings.replaceLocally(state.settings());
        }
        for (String name : SETTINGS_FILES) {
            String text = state.files().get(name);
            applySettings(text != null ? SettingsDiff.content(name, text) : new SettingsDiff(name, Map.of(), List.of(SettingsDiff.CONTENT)));
        }
        store.install(state.image());
        applier.forgetCalls();
        applied = state.image().appliedIndex();
    }

    private Command open(long index, byte[] command) {
        try {
            return applier.open(command);
        } catch (TamperedBlobException e) {
            throw new TokenStoreException(directory + ": log entry " + index + " does not open under this HSM's device.key"
                    + " (" + e.getMessage() + "): every HSM of a cluster must hold the cluster's device.key", e);
        }
    }

    private void applySettings(SettingsDiff diff) {
        if (diff.target().equals(StateFile.FILE)) {
            settings.applyLocally(diff);
            return;
        }
        Path file = directory.resolve(diff.target()).normalize();
        String text = diff.set().get(SettingsDiff.CONTENT);
        if (text != null) {
            SettingsDiff.writeFile(file, text);
        } else if (diff.removed().contains(SettingsDiff.CONTENT)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized void close() {
        audit.close();
        store.close();
    }
}
