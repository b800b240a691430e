package io.jhsm.engine.store;

import java.nio.file.Path;
import javax.crypto.SecretKey;

/**
 * The token database's tables, created on first open, and the binding between the database and
 * its device key.
 *
 * <ul>
 *   <li>{@code state}: one row; the generation counter every object write bumps, the next object
 *       id (only ever incremented, so ids are never reused, even across C_InitToken), and a
 *       key-check blob (a sealed empty value) proving device.key is the key this database was
 *       sealed with.
 *   <li>{@code token}: at most one row, the C_InitToken record (label and serial, public anyway).
 *   <li>{@code users}: name, role, login-failure state in clear; the PIN verifier sealed.
 *   <li>{@code objects}: id (from state.next_object_id), generation of the last write, sealed
 *       attribute blob.
 *   <li>{@code tombstones}: id and generation of each deletion, so other processes learn of it.
 * </ul>
 * The schema version is PRAGMA user_version.
 */
final class Schema {

    static final int VERSION = 1;

    private static final String[] DDL = {
        "CREATE TABLE state (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL,"
                + " next_object_id INTEGER NOT NULL, key_check BLOB NOT NULL)",
        "CREATE TABLE token (id INTEGER PRIMARY KEY CHECK (id = 1), label TEXT NOT NULL, serial TEXT NOT NULL)",
        "CREATE TABLE users (name TEXT PRIMARY KEY, role INTEGER NOT NULL, verifier BLOB NOT NULL,"
                + " failed_logins INTEGER NOT NULL, locked INTEGER NOT NULL)",
        "CREATE TABLE objects (id INTEGER PRIMARY KEY, generation INTEGER NOT NULL,"
                + " blob BLOB NOT NULL)",
        // changesSince reads by generation; new generations are always the largest, so the index
        // only ever grows at its right edge.
        "CREATE INDEX objects_by_generation ON objects (generation)",
        "CREATE TABLE tombstones (id INTEGER PRIMARY KEY, generation INTEGER NOT NULL)",
        "CREATE INDEX tombstones_by_generation ON tombstones (generation)",
    };

    private Schema() {}

    /**
     * Creates the tables on first use and returns the sealing for this database. A database that
     * already has objects never gets a fresh key: without its device.key it cannot be opened.
     */
    static SealedBlobs prepare(SqliteDatabase db, Path directory) {
        if (userVersion(db) == 0) {
            db.write("create schema", () -> {
                // Re-checked under the write lock: another process may have won the race.
                if (db.queryLong("PRAGMA user_version") == 0) {
                    SealedBlobs blobs = new SealedBlobs(StorageKey.loadOrCreate(directory));
                    for (String sql : DDL) {
                        db.execute(sql);
                    }
                    db.update("INSERT INTO state (id, generation, next_object_id, key_check) VALUES (1, 0, 1, ?)",
                            (Object) blobs.seal(SealedBlobs.keyCheckAad(), new byte[0]));
                    db.execute("PRAGMA user_version = " + VERSION);
                }
                return null;
            });
        }
        long version = userVersion(db);
        if (version != VERSION) {
            throw new TokenStoreException(directory + ": unsupported token database version " + version);
        }
        SecretKey key = StorageKey.load(directory).orElseThrow(() -> new TokenStoreException(
                directory.resolve(StorageKey.FILE_NAME) + " is missing: the token's objects cannot be opened"));
        SealedBlobs blobs = new SealedBlobs(key);
        byte[] check = db.read("read key check", () -> {
            try (SqliteStatement rs = db.query("SELECT key_check FROM state WHERE id = 1")) {
                return rs.step() ? rs.getBytes(0) : null;
            }
        });
        try {
            blobs.open(SealedBlobs.keyCheckAad(), check, "key check");
        } catch (TamperedBlobException e) {
            throw new TokenStoreException(directory.resolve(StorageKey.FILE_NAME)
                    + " does not belong to this token database", e);
        }
        return blobs;
    }

    private static long userVersion(SqliteDatabase db) {
        return db.read("read schema version", () -> db.queryLong("PRAGMA user_version"));
    }
}
