package io.jhsm.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

    /**
     * While a connection is open its process holds SQLite's shared lock on the -shm file, so a process opening the
     * database later knows it is not alone and leaves the wal-index as it is. Watching the file must not drop that
     * lock: before, it did (closing its descriptor released every fcntl lock of the process on the file), and a
     * second process's open reset the wal-index under the first, which died of SIGBUS in its next C_Login.
     */
    @Test
    void anOpenStoreKeepsSqlitesSharedMemoryLockThatOtherProcessesSee() throws Exception {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            store.insertObject(StoreChildProcess.object("o", 1));
            assertEquals("dms held", probe(), "the open store's process holds the -shm lock");
            try (SqliteTokenStore second = SqliteTokenStore.open(dir)) {
                second.insertObject(StoreChildProcess.object("p", 2));
            }
            assertEquals("dms held", probe(), "closing a second store of the same process keeps the first one's lock");
        }
    }

    private String probe() throws Exception {
        Process p = StoreChildProcess.spawn("dms", dir.toString());
        assertTrue(StoreChildProcess.waitFor(p, 60), "the probe process finishes");
        return new String(p.getInputStream().readAllBytes()).trim();
    }

    /** A -shm file replaced under the same name (a database restored in place) is watched afresh, not through the old mapping. */
    @Test
    void aFileReplacedUnderTheSameNameIsWatchedAfresh() throws Exception {
        Path database = dir.resolve("replaced.db");
        Path shm = dir.resolve("replaced.db-shm");
        byte[] first = new byte[64];
        byte[] second = new byte[64];
        Arrays.fill(first, (byte) 1);
        Arrays.fill(second, (byte) 2);
        Files.write(shm, first);
        WalIndexWatch old = WalIndexWatch.of(database);
        Files.delete(shm);
        Files.write(shm, second);
        WalIndexWatch fresh = WalIndexWatch.of(database);
        try {
            assertEquals(0x0101010101010101L, old.read()[0], "the first watch reads the file it mapped");
            assertEquals(0x0202020202020202L, fresh.read()[0], "the new file is mapped, not the one it replaced");
        } finally {
            old.release();
            fresh.release();
        }
    }
}
