package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.store.StorageKey;
import io.jhsm.engine.store.StoreImage;
import io.jhsm.engine.store.TokenStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.crypto.SecretKey;

/**
 * A cluster HSM's replicated state as one file, for Raft snapshots: a CloudHSM backup file (same
 * format, {@link BackupFile} and {@link BackupContents}) whose contents also place every object at its
 * id and carry the next id, the applied log index and the settings files. Its ephemeral key is wrapped
 * under a key derived from the cluster's storage key, so only HSMs of the cluster open it; device.key
 * itself is never in it.
 */
public final class ClusterSnapshot {
    private ClusterSnapshot() {}

    /** What a snapshot holds: the token database's image, cloudhsm.properties, and other settings files by path. */
    public record State(StoreImage image, Properties settings, Map<String, String> files) {}

    public static void write(Path file, Path tokenDirectory, State state) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("snapshot", Boolean.TRUE);
        header.put("created", Instant.now().toString());
        header.put("cluster-id", state.settings().getProperty("cluster.id", ""));
        header.put("applied-index", state.image().appliedIndex());
        try {
            BackupFile.write(file, header, BackupContents.snapshot(state.image(), state.settings(), state.files()).encode(),
                    key(tokenDirectory));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the snapshot " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a snapshot; HsmException (integrity) when it is corrupt or another cluster's. */
    public static State read(Path file, Path tokenDirectory) {
        BackupContents c = BackupContents.decode(BackupFile.open(file, key(tokenDirectory)));
        return new State(c.image(), c.settings(), c.placement().files());
    }

    private static SecretKey key(Path tokenDirectory) {
        return BackupKeys.snapshotKey(StorageKey.load(tokenDirectory).orElseThrow(() -> new TokenStoreException(
                tokenDirectory.resolve(StorageKey.FILE_NAME) + " is missing: a snapshot is sealed under the cluster key;"
                        + " provision the cluster's device.key to this HSM's token directory before it starts")));
    }
}
