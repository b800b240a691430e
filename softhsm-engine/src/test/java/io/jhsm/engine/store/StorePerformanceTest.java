package io.jhsm.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's share of the benchmark's hot path: C_CreateObject (one transaction per insert) and
 * the "did anything change?" check the engine makes before each operation. Prints its numbers;
 * asserts only bounds loose enough for a shared build machine.
 */
class StorePerformanceTest {

    @TempDir
    Path dir;

    static List<Attribute> aesKey(int i) {
        byte[] value = new byte[32];
        value[0] = (byte) i;
        value[1] = (byte) (i >> 8);
        return List.of(Attribute.of(CKA.CLASS, 4L), Attribute.of(CKA.KEY_TYPE, 0x1FL), Attribute.of(CKA.TOKEN, true),
                Attribute.of(CKA.PRIVATE, true), Attribute.of(CKA.SENSITIVE, true), Attribute.of(CKA.EXTRACTABLE, false),
                Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.DECRYPT, true), Attribute.of(CKA.LABEL, "key-" + i),
                Attribute.of(CKA.ID, new byte[] {(byte) i}), Attribute.of(CKA.VALUE_LEN, 32L), Attribute.of(CKA.VALUE, value));
    }

    @Test
    void insertsAndNoChangePolls() {
        int n = 10_000;
        try (SqliteTokenStore store = SqliteTokenStore.open(dir); SqliteTokenStore other = SqliteTokenStore.open(dir)) {
            for (int i = 0; i < 200; i++) {
                store.deleteObject(store.insertObject(aesKey(i)));
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                store.insertObject(aesKey(i));
            }
            double insertSeconds = (System.nanoTime() - start) / 1e9;

            long generation = store.changesSince(0).generation();
            int polls = 200_000;
            for (int i = 0; i < polls / 4; i++) {
                store.changesSince(generation);
            }
            start = System.nanoTime();
            for (int i = 0; i < polls; i++) {
                assertTrue(store.changesSince(generation).isEmpty());
            }
            double pollMicros = (System.nanoTime() - start) / 1e3 / polls;

            start = System.nanoTime();
            ObjectChanges all = other.changesSince(0);
            double snapshotMillis = (System.nanoTime() - start) / 1e6;
            assertEquals(n, all.upserted().size());

            int rounds = 200;
            start = System.nanoTime();
            long otherGeneration = all.generation();
            for (int i = 0; i < rounds; i++) {
                store.updateObject(i + 201, aesKey(i));
                ObjectChanges one = other.changesSince(otherGeneration);
                assertEquals(1, one.upserted().size());
                otherGeneration = one.generation();
            }
            double updateAndCatchUpMicros = (System.nanoTime() - start) / 1e3 / rounds;

            System.out.printf("StorePerformance (%s, Java %s): %d inserts in %.2f s = %.0f inserts/s;"
                            + " no-change changesSince %.2f us; changesSince(0) of %d objects %.1f ms;"
                            + " update + catch-up by another instance %.0f us%n",
                    System.getProperty("os.name"), Runtime.version(), n, insertSeconds, n / insertSeconds,
                    pollMicros, n, snapshotMillis, updateAndCatchUpMicros);
            assertTrue(n / insertSeconds > 500, "insert rate collapsed");
            assertTrue(pollMicros < 200, "no-change changesSince too slow: " + pollMicros + " us");
        }
    }
}
