package io.jhsm.engine.store;

import io.jhsm.pkcs11.Attribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads and installs a {@link StoreImage}; the store calls these under its lock. */
final class StoreImages {
    static final String ALL_USERS = "SELECT name, role, verifier, failed_logins, locked FROM users ORDER BY name";

    private StoreImages() {}

    /** Users a query of the shape of {@link #ALL_USERS} returns, verifiers opened. In the caller's transaction. */
    static List<UserRecord> users(SqliteDatabase db, SealedBlobs blobs, String sql, Object... args) throws SqliteException {
        List<UserRecord> result = new ArrayList<>();
        try (SqliteStatement rs = db.query(sql, args)) {
            while (rs.step()) {
                String name = rs.getString(0);
                byte[] verifier = blobs.open(SealedBlobs.userAad(name), rs.getBytes(2), "user " + name);
                result.add(new UserRecord(name, rs.getLong(1), verifier, rs.getInt(3), rs.getInt(4) != 0));
            }
        }
        return result;
    }

    /** Inserts or replaces a user, its verifier sealed. In the caller's write transaction. */
    static void insertUser(SqliteDatabase db, SealedBlobs blobs, UserRecord user) throws SqliteException {
        db.update("INSERT OR REPLACE INTO users (name, role, verifier, failed_logins, locked) VALUES (?, ?, ?, ?, ?)",
                user.name(), user.role(), blobs.seal(SealedBlobs.userAad(user.name()), user.pinVerifier()),
                user.failedLogins(), user.locked() ? 1 : 0);
    }

    static StoreImage read(SqliteDatabase db, SealedBlobs blobs) {
        return db.read("read snapshot", () -> {
            Optional<TokenRecord> token;
            try (SqliteStatement rs = db.query("SELECT label, serial FROM token WHERE id = 1")) {
                token = rs.step() ? Optional.of(new TokenRecord(rs.getString(0), rs.getString(1))) : Optional.empty();
            }
            List<UserRecord> users = users(db, blobs, ALL_USERS);
            SortedMap<Long, List<Attribute>> objects = new TreeMap<>();
            try (SqliteStatement rs = db.query("SELECT id, blob FROM objects ORDER BY id")) {
                while (rs.step()) {
                    long id = rs.getLong(0);
                    objects.put(id, AttributeCodec.decode(blobs.open(SealedBlobs.objectAad(id), rs.getBytes(1), "object " + id)));
                }
            }
            long next = db.queryLong("SELECT next_object_id FROM state WHERE id = 1");
            long applied = db.queryLong("SELECT applied_index FROM state WHERE id = 1");
            return new StoreImage(token, users, objects, next, applied);
        });
    }

    /** In the caller's write transaction; returns the new generation. */
    static long install(SqliteDatabase db, SealedBlobs blobs, StoreImage image) throws SqliteException {
        long generation = db.queryLong("UPDATE state SET generation = generation + 1, next_object_id = ?,"
                + " applied_index = ? WHERE id = 1 RETURNING generation", image.nextObjectId(), image.appliedIndex());
        // Tombstones rather than a bare DELETE: other processes must learn these objects are gone.
        db.update("INSERT OR REPLACE INTO tombstones (id, generation) SELECT id, ? FROM objects", generation);
        db.update("DELETE FROM objects");
        db.update("DELETE FROM users");
        db.update("DELETE FROM token");
        for (UserRecord user : image.users()) {
            insertUser(db, blobs, user);
        }
        if (image.token().isPresent()) {
            db.update("INSERT INTO token (id, label, serial) VALUES (1, ?, ?)",
                    image.token().get().label(), image.token().get().serialNumber());
        }
        for (Map.Entry<Long, List<Attribute>> o : image.objects().entrySet()) {
            db.update("INSERT INTO objects (id, generation, blob) VALUES (?, ?, ?)", o.getKey(), generation,
                    blobs.seal(SealedBlobs.objectAad(o.getKey()), AttributeCodec.encode(o.getValue())));
        }
        return generation;
    }
}
