package io.jhsm.engine.store;

import static io.jhsm.engine.store.SqliteTokenStoreTest.key;
import static io.jhsm.engine.store.SqliteTokenStoreTest.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.CKU;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store side of replication: the schema upgrade, the applied index, and commands as the log carries them. */
class ReplicatedCommandTest {
    @TempDir
    Path dir;

    @Test
    void aVersion2DatabaseIsUpgradedInPlaceKeepingItsObjects() {
        long id;
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            id = store.insertObject(key("kept", new byte[16]));
        }
        SqliteDatabase db = new SqliteDatabase(dir.resolve(SqliteTokenStore.DATABASE_FILE));
        db.write("make a version 2 database", () -> {
            db.execute("ALTER TABLE state DROP COLUMN applied_index");
            db.execute("PRAGMA user_version = 2");
            return null;
        });
        db.close();

        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            assertEquals(0, store.appliedIndex());
            assertTrue(store.changesSince(0).upserted().containsKey(id));
            store.recordApplied(7);
            assertEquals(7, store.appliedIndex());
        }
    }

    @Test
    void theAppliedIndexCommitsWithTheChangeItApplied() {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            CommandApplier applier = new CommandApplier(store);
            List<byte[]> log = new ArrayList<>();
            Replicator toLog = command -> {
                log.add(command);
                return applier.apply(log.size(), applier.open(command));
            };
            ReplicatedTokenStore replicated = new ReplicatedTokenStore(SqliteTokenStore.open(dir), toLog);
            long id = replicated.insertObject(key("one", new byte[16]));
            assertEquals(1, store.appliedIndex());
            assertThrows(IllegalArgumentException.class, () -> replicated.updateObject(id + 100, key("none", new byte[16])),
                    "an unknown id is refused through the log as the local store refuses it");
            assertEquals(2, store.appliedIndex(), "a refused entry is still applied (every HSM refuses it alike)");
            replicated.saveUser(user("alice", CKU.USER));
            assertEquals(3, store.appliedIndex());
            assertEquals(List.of("alice"), replicated.users().stream().map(UserRecord::name).toList());
            replicated.close();
        }
    }

    @Test
    void aCommandChangedOnTheWayIsRefused() {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            CommandCodec codec = new CommandCodec(store.blobs());
            CommandWriter body = new CommandWriter().attributes(key("k", new byte[16]));
            byte[] command = codec.encode(CommandKind.INSERT_OBJECT, new Command.Audit(1, false, "{\"keys\":[]}"), body.toByteArray());
            assertEquals(CommandKind.INSERT_OBJECT, codec.decode(command).kind());

            byte[] otherKind = command.clone();
            otherKind[1] = (byte) CommandKind.UPDATE_OBJECT.code;
            assertThrows(TamperedBlobException.class, () -> codec.decode(otherKind));
            byte[] otherRecord = command.clone();
            otherRecord[10] ^= 1;
            assertThrows(TamperedBlobException.class, () -> codec.decode(otherRecord));
        }
    }
}
