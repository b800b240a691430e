package io.jhsm.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock-free "nothing committed since" check must never say so after a commit, by any connection. */
class WalIndexWatchTest {
    @TempDir
    Path dir;

    @Test
    void everyCommitOfAnotherConnectionChangesTheWatchedHeader() {
        try (SqliteTokenStore mine = SqliteTokenStore.open(dir); SqliteTokenStore theirs = SqliteTokenStore.open(dir)) {
            WalIndexWatch watch = WalIndexWatch.of(dir.resolve(SqliteTokenStore.DATABASE_FILE));
            long generation = mine.changesSince(0).generation();
            for (int i = 0; i < 200; i++) {
                long[] before = watch.read();
                assertNotNull(before, "the -shm file of an open WAL database is watched");
                assertTrue(watch.unchangedSince(before));
                long id = theirs.insertObject(StoreChildProcess.object("o" + i, i));
                assertFalse(watch.unchangedSince(before), "commit " + i + " went unseen");
                ObjectChanges changes = mine.changesSince(generation);
                assertEquals(java.util.Set.of(id), changes.upserted().keySet());
                generation = changes.generation();
                assertTrue(mine.changesSince(generation).isEmpty());
            }
        }
    }

    @Test
    void aClosedWatchAlwaysAnswersMaybeChanged() {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            WalIndexWatch watch = WalIndexWatch.of(dir.resolve(SqliteTokenStore.DATABASE_FILE));
            long[] now = watch.read();
            watch.close();
            assertFalse(watch.unchangedSince(now));
        }
    }
}
