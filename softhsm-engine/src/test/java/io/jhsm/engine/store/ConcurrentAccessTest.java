package io.jhsm.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentAccessTest {

    @TempDir
    Path dir;

    @Test
    void threadsSharingOneStoreAllSucceed() throws Exception {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            Set<Long> ids = ConcurrentHashMap.newKeySet();
            runThreads(4, t -> {
                for (int i = 0; i < 100; i++) {
                    ids.add(store.insertObject(StoreChildProcess.object("t" + t, i)));
                    store.changesSince(0);
                }
            });
            assertEquals(400, ids.size());
            assertEquals(ids, store.changesSince(0).upserted().keySet());
        }
    }

    @Test
    void instancesCreatingOneTokenAtTheSameMomentAgreeOnItsKey() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path fresh = dir.resolve("fresh-" + round);
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
            runThreads(4, t -> {
                start.await();
                try (SqliteTokenStore store = SqliteTokenStore.open(fresh)) {
                    store.insertObject(StoreChildProcess.object("racer" + t, t));
                }
            });
            try (SqliteTokenStore store = SqliteTokenStore.open(fresh)) {
                assertEquals(4, store.changesSince(0).upserted().size());
            }
        }
    }

    @Test
    void separateInstancesAndASecondProcessWriteConcurrently() throws Exception {
        SqliteTokenStore.open(dir).close();
        Process child = StoreChildProcess.spawn("insert", dir.toString(), "300");
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        runThreads(3, t -> {
            try (SqliteTokenStore own = SqliteTokenStore.open(dir)) {
                long generation = 0;
                for (int i = 0; i < 150; i++) {
                    ids.add(own.insertObject(StoreChildProcess.object("p" + t, i)));
                    if (i % 10 == 0) {
                        own.updateObject(ids.iterator().next(), StoreChildProcess.object("u" + t, i));
                    }
                    generation = own.changesSince(generation).generation();
                }
            }
        });
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(StoreChildProcess.waitFor(child, 60));
        assertEquals(0, child.exitValue(), "child failed: " + out);
        assertEquals("done 300", out);
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            Set<Long> all = store.changesSince(0).upserted().keySet();
            assertEquals(750, all.size());
            assertTrue(all.containsAll(ids));
        }
    }

    @Test
    void aWriterKilledMidWriteLeavesAConsistentToken() throws Exception {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            store.insertObject(StoreChildProcess.object("before", 1));
        }
        for (int round = 0; round < 3; round++) {
            Process child = StoreChildProcess.spawn("churn", dir.toString());
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            // Let it get well into its write loop, with this process writing too, then SIGKILL it.
            int target = 100 + 50 * round;
            try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
                String line;
                while ((line = lines.readLine()) != null && Integer.parseInt(line.substring(9)) < target) {
                    store.insertObject(StoreChildProcess.object("parent", round));
                }
                assertTrue(line != null, "child died on its own");
                child.destroyForcibly();
                assertTrue(StoreChildProcess.waitFor(child, 30));
                assertEquals(137, child.exitValue());
            }
            try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
                ObjectChanges all = store.changesSince(0);
                assertTrue(all.upserted().size() > target / 2, "objects: " + all.upserted().size());
                long id = store.insertObject(StoreChildProcess.object("after", round));
                assertTrue(store.changesSince(all.generation()).upserted().containsKey(id));
            }
            assertIntegrity();
        }
    }

    private void assertIntegrity() throws Exception {
        try (var c = new SqliteDatabase(dir.resolve("token.db"));
                SqliteStatement rs = c.query("PRAGMA integrity_check")) {
            List<String> result = new ArrayList<>();
            while (rs.step()) {
                result.add(rs.getString(0));
            }
            assertEquals(List.of("ok"), result);
        }
    }

    interface Body {
        void run(int thread) throws Exception;
    }

    static void runThreads(int n, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    body.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
