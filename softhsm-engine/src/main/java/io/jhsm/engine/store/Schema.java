package io.jhsm.engine.store;

import java.nio.file.Files;
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
 *   <li>{@code audit_pending} (version 2): the audit record of each change, committed with the change
 *       ({@link AuditIntent}); rows stay until audit.log holds them. Ids start at the table's creation
 *       time in microseconds, so a database made later never reuses numbers an older one put into
 *       audit.log.
 *   <li>{@code state.applied_index} (version 3): the index of the last replicated-log command applied to
 *       this token (0 outside a cluster), written in the same transaction as the change it applied, so a
 *       command replayed after a crash is recognised and skipped.
 * </ul>
 * The schema version is PRAGMA user_version.
 */
final class Schema {

    static final int VERSION = 3;

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

    /** Version 2: audit records committed with the changes they describe. */
    private static final String[] AUDIT_DDL = {
        "CREATE TABLE audit_pending (id INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL)",
        "INSERT INTO sqlite_sequence (name, seq) VALUES ('audit_pending', CAST((julianday('now') - 2440587.5)"
                + " * 86400000000 AS INTEGER))",
    };

    /** Version 3: the replicated log's applied index, beside the generation in the state row. */
    private static final String[] APPLIED_INDEX_DDL = {
        "ALTER TABLE state ADD COLUMN applied_index INTEGER NOT NULL DEFAULT 0",
    };

    private Schema() {}

    /**
     * Creates the tables on first use and returns the sealing for this database. A database that
     * already has objects never gets a fresh key: without its device.key it cannot be opened.
     * {@code keyProvisioned}: the device key beside an empty database was put there for a new token
     * (a cluster's key given to a new HSM, {@link SqliteTokenStore#openReplica}), not left behind by a lost database.
     */
    static SealedBlobs prepare(SqliteDatabase db, Path directory, boolean keyProvisioned) {
        if (userVersion(db) == 0) {
            db.write("create schema", () -> {
                // Re-checked under the write lock: another process may have won the race.
                if (db.queryLong("PRAGMA user_version") == 0) {
                    if (!keyProvisioned) {
                        refuseLostDatabase(directory);
                    }
                    SealedBlobs blobs = new SealedBlobs(StorageKey.loadOrCreate(directory));
                    run(db, DDL);
                    run(db, AUDIT_DDL);
                    run(db, APPLIED_INDEX_DDL);
                    db.update("INSERT INTO state (id, generation, next_object_id, key_check) VALUES (1, 0, 1, ?)",
                            (Object) blobs.seal(SealedBlobs.keyCheckAad(), new byte[0]));
                    db.execute("PRAGMA user_version = " + VERSION);
                }
                return null;
            });
        }
        upgrade(db, 1, "add the audit table", AUDIT_DDL);
        upgrade(db, 2, "add the applied index", APPLIED_INDEX_DDL);
        long version = userVersion(db);
        if (version != VERSION) {
            throw new TokenStoreException(directory + ": unsupported token database version " + version);
        }
        SecretKey key = StorageKey.load(directory).orElseThrow(() -> new TokenStoreException(
                directory.resolve(StorageKey.FILE_NAME) + " is missing: the token's objects cannot be opened without it;"
                + " restore device.key from a backup of this token directory"));
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
                    + " does not belong to this token database (" + directory.resolve(SqliteTokenStore.DATABASE_FILE)
                    + "): it is another token's key; put back this token's own device.key", e);
        }
        return blobs;
    }

    /** Upgrades a database of version {@code from} in place to the next one (re-checked under the write lock). */
    private static void upgrade(SqliteDatabase db, long from, String what, String[] ddl) {
        if (userVersion(db) == from) {
            db.write(what, () -> {
                if (db.queryLong("PRAGMA user_version") == from) {
                    run(db, ddl);
                    db.execute("PRAGMA user_version = " + (from + 1));
                }
                return null;
            });
        }
    }

    private static void run(SqliteDatabase db, String[] ddl) throws SqliteException {
        for (String sql : ddl) {
            db.execute(sql);
        }
    }

    /**
     * An empty database beside an existing device key means a token existed and its database was lost
     * (truncated to 0 bytes or deleted): starting a blank token there would silently drop every key.
     */
    private static void refuseLostDatabase(Path directory) {
        Path key = directory.resolve(StorageKey.FILE_NAME);
        if (Files.exists(key)) {
            throw new TokenStoreException(directory.resolve(SqliteTokenStore.DATABASE_FILE) + " is empty but " + key
                    + " exists: a token existed here and its database was lost (truncated or deleted); restore token.db"
                    + " from a backup of the token directory, or delete device.key to start a new, empty token");
        }
    }

    private static long userVersion(SqliteDatabase db) {
        return db.read("read schema version", () -> db.queryLong("PRAGMA user_version"));
    }
}
