package io.jhsm.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKU;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteTokenStoreTest {

    @TempDir
    Path dir;

    static List<Attribute> key(String label, byte[] value) {
        return List.of(Attribute.of(CKA.CLASS, 4L), Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, label),
                Attribute.of(CKA.VALUE, value),
                Attribute.ofTemplate(CKA.WRAP_TEMPLATE, List.of(Attribute.of(CKA.EXTRACTABLE, false))));
    }

    static UserRecord user(String name, long role) {
        return new UserRecord(name, role, new Pbkdf2PinVerifier(10).create(name.getBytes(StandardCharsets.UTF_8)), 0, false);
    }

    @Test
    void freshTokenIsUninitialisedAndEmpty() throws Exception {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir.resolve("t"))) {
            assertTrue(store.token().isEmpty());
            assertTrue(store.users().isEmpty());
            assertTrue(store.changesSince(0).isEmpty());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("t"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("t/device.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("t/token.db"))));
    }

    @Test
    void roundTripsTokenUsersAndObjects() {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            UserRecord so = user("admin", CKU.SO);
            store.initialize(new TokenRecord("label", "0001"), List.of(so));
            assertEquals(new TokenRecord("label", "0001"), store.token().orElseThrow());
            UserRecord alice = new UserRecord("alice", CKU.USER, user("alice", CKU.USER).pinVerifier(), 1, false);
            store.saveUser(alice);
            assertEquals(List.of("admin", "alice"), store.users().stream().map(UserRecord::name).toList());
            UserRecord back = store.user("alice").orElseThrow();
            assertTrue(Arrays.equals(alice.pinVerifier(), back.pinVerifier()));
            assertEquals(1, back.failedLogins());
            assertEquals(LoginAttempt.Outcome.STARTED, store.beginLogin("alice", CKU.USER, 2).outcome());
            assertTrue(store.loginFailed("alice", 2));
            assertTrue(store.user("alice").orElseThrow().locked());
            store.deleteUser("alice");
            assertTrue(store.user("alice").isEmpty());

            long a = store.insertObject(key("a", new byte[] {1}));
            long b = store.insertObject(key("b", new byte[] {2}));
            assertTrue(a > 0 && b > a);
            ObjectChanges all = store.changesSince(0);
            assertEquals(Map.of(a, key("a", new byte[] {1}), b, key("b", new byte[] {2})), all.upserted());
            store.updateObject(a, key("a2", new byte[] {3}));
            store.deleteObject(b);
            ObjectChanges delta = store.changesSince(all.generation());
            assertEquals(Map.of(a, key("a2", new byte[] {3})), delta.upserted());
            assertEquals(Set.of(b), delta.deleted());
            assertTrue(store.changesSince(delta.generation()).isEmpty());
            assertThrows(IllegalArgumentException.class, () -> store.updateObject(b, key("x", new byte[0])));
            store.deleteObject(b);
            assertTrue(store.changesSince(delta.generation()).isEmpty(), "deleting a missing id changes nothing");
        }
    }

    @Test
    void idsAreNeverReusedEvenAcrossInitialize() {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            long a = store.insertObject(key("a", new byte[] {1}));
            store.deleteObject(a);
            long b = store.insertObject(key("b", new byte[] {1}));
            store.initialize(new TokenRecord("l", "s"), List.of());
            long c = store.insertObject(key("c", new byte[] {1}));
            assertTrue(a < b && b < c, a + " " + b + " " + c);
        }
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            assertEquals(1, store.changesSince(0).upserted().size());
        }
    }

    @Test
    void twoInstancesSeeEachOthersWrites() {
        try (SqliteTokenStore one = SqliteTokenStore.open(dir); SqliteTokenStore two = SqliteTokenStore.open(dir)) {
            long g1 = one.changesSince(0).generation();
            long g2 = two.changesSince(0).generation();
            long id = one.insertObject(key("k", new byte[] {9}));
            ObjectChanges seen = two.changesSince(g2);
            assertEquals(Map.of(id, key("k", new byte[] {9})), seen.upserted());
            g2 = seen.generation();
            two.updateObject(id, key("k2", new byte[] {8}));
            ObjectChanges back = one.changesSince(g1);
            assertEquals(Map.of(id, key("k2", new byte[] {8})), back.upserted());
            g1 = back.generation();
            assertTrue(one.changesSince(g1).isEmpty());
            two.deleteObject(id);
            assertEquals(Set.of(id), one.changesSince(g1).deleted());
            g1 = one.changesSince(g1).generation();

            long other = two.insertObject(key("o", new byte[] {7}));
            two.initialize(new TokenRecord("again", "2"), List.of(user("admin", CKU.SO)));
            ObjectChanges reset = one.changesSince(g1);
            assertTrue(reset.deleted().contains(other), "initialize reports the wiped objects as deleted");
            assertTrue(reset.upserted().isEmpty());
            assertEquals("again", one.token().orElseThrow().label());
            assertEquals(List.of("admin"), one.users().stream().map(UserRecord::name).toList());
        }
    }

    @Test
    void aTamperedOrMovedBlobIsNeverOpenedButLeavesTheOtherObjectsReachable() throws Exception {
        long a;
        long b;
        long c3;
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            a = store.insertObject(key("a", new byte[] {1}));
            b = store.insertObject(key("b", new byte[] {2}));
            c3 = store.insertObject(key("c", new byte[] {3}));
        }
        try (var c = new SqliteDatabase(dir.resolve("token.db"))) {
            // Swap the two rows' blobs: each is authentic, but sealed to the other id.
            byte[] blobA = blob(c, a);
            byte[] blobB = blob(c, b);
            c.update("UPDATE objects SET blob = ? WHERE id = ?", blobB, a);
            c.update("UPDATE objects SET blob = ? WHERE id = ?", blobA, b);
        }
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            ObjectChanges changes = store.changesSince(0);
            assertEquals(java.util.Set.of(c3), changes.upserted().keySet());
            assertEquals(List.of(a, b), store.damagedObjects());
        }
        try (var c = new SqliteDatabase(dir.resolve("token.db"))) {
            c.update("DELETE FROM objects WHERE id = " + a);
        }
        StoreDamage.flipLastByteOfObject(dir, b);
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            assertEquals(java.util.Set.of(c3), store.changesSince(0).upserted().keySet());
            assertEquals(List.of(b), store.damagedObjects());
        }
    }

    private static byte[] blob(SqliteDatabase c, long id) throws SqliteException {
        try (SqliteStatement rs = c.query("SELECT blob FROM objects WHERE id = ?", id)) {
            assertTrue(rs.step());
            return rs.getBytes(0);
        }
    }

    @Test
    void theDatabaseRefusesAMissingOrForeignDeviceKey() throws Exception {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir.resolve("a"))) {
            store.insertObject(key("a", new byte[] {1}));
        }
        try (SqliteTokenStore other = SqliteTokenStore.open(dir.resolve("b"))) {
            assertFalse(other.token().isPresent());
        }
        Files.move(dir.resolve("a/device.key"), dir.resolve("a.key"));
        TokenStoreException missing = assertThrows(TokenStoreException.class, () -> SqliteTokenStore.open(dir.resolve("a")));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        Files.copy(dir.resolve("b/device.key"), dir.resolve("a/device.key"));
        TokenStoreException foreign = assertThrows(TokenStoreException.class, () -> SqliteTokenStore.open(dir.resolve("a")));
        assertTrue(foreign.getMessage().contains("does not belong"), foreign.getMessage());
    }

    @Test
    void anEmptiedDatabaseBesideItsDeviceKeyIsRefusedNotTakenForANewToken() throws Exception {
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            store.insertObject(key("a", new byte[] {1}));
        }
        for (String f : List.of("token.db", "token.db-wal", "token.db-shm")) {
            if (Files.exists(dir.resolve(f))) {
                Files.write(dir.resolve(f), new byte[0]);
            }
        }
        Files.deleteIfExists(dir.resolve("token.db-wal"));
        Files.deleteIfExists(dir.resolve("token.db-shm"));
        TokenStoreException e = assertThrows(TokenStoreException.class, () -> SqliteTokenStore.open(dir));
        assertTrue(e.getMessage().contains("token.db is empty but") && e.getMessage().contains("a token existed here"),
                e.getMessage());
    }
}
