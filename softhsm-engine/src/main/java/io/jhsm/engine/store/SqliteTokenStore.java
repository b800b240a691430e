package io.jhsm.engine.store;

import io.jhsm.engine.diag.ProblemLog;
import io.jhsm.pkcs11.Attribute;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A token kept in one SQLite database ({@code token.db}, WAL mode) next to its device key
 * ({@code device.key}); see STORAGE.md. Several processes and several instances may share a
 * directory; each instance holds one connection and serialises its callers.
 *
 * <p>Every object write bumps {@code state.generation} and stamps the object (or its tombstone)
 * with the new value, in the same transaction; {@link #changesSince} returns what carries a larger
 * stamp. It first asks SQLite's data_version whether another connection committed at all, so the
 * common "nothing changed" answer costs one pragma and no table read.
 */
public final class SqliteTokenStore implements TokenStore {

    public static final String DATABASE_FILE = "token.db";

    private final Object lock = new Object();
    private final SqliteDatabase db;
    private final SealedBlobs blobs;
    /** token.db, named in problem reports. */
    private final Path dbFile;
    /** data_version when {@link #knownGeneration} was last known to be the database's generation. */
    private long knownDataVersion = Long.MIN_VALUE;
    private long knownGeneration = -1;
    /** Commits show in the WAL-index header first: the lock-free shortcut of {@link #changesSince}. */
    private final WalIndexWatch walIndex;
    /** A generation the database had when the WAL-index header read {@code header} (volatile: read without the lock). */
    private volatile Known known = new Known(null, -1);
    private final PendingAuditTable audit;
    /** While a replicated command is applied: its log index, stored by the transaction making its change (0: none). */
    private long applying;

    private record Known(long[] header, long generation) {}

    private SqliteTokenStore(SqliteDatabase db, SealedBlobs blobs, Path dbFile, WalIndexWatch walIndex) {
        this.db = db;
        this.dbFile = dbFile;
        this.audit = new PendingAuditTable(db);
        this.blobs = blobs;
        this.walIndex = walIndex;
    }

    /** Opens the token in {@code tokenDirectory}, creating the directory (0700) and its files as needed. */
    public static SqliteTokenStore open(Path tokenDirectory) {
        return open(tokenDirectory, false);
    }

    /**
     * Opens the token of an HSM in a cluster, for applying the cluster's log: a device.key beside an empty or
     * missing database is the cluster key given to a new HSM (whose state then comes from the cluster's
     * snapshot and log), not a token whose database was lost.
     */
    public static SqliteTokenStore openReplica(Path tokenDirectory) {
        return open(tokenDirectory, true);
    }

    /** {@code keyProvisioned}: a new token sealed under the device.key already in the directory (see Schema.prepare). */
    static SqliteTokenStore open(Path tokenDirectory, boolean keyProvisioned) {
        Path dbFile = tokenDirectory.resolve(DATABASE_FILE);
        try {
            if (!Files.isDirectory(tokenDirectory)) {
                Files.createDirectories(tokenDirectory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            // SQLite gives -wal and -shm the main file's mode, so creating it 0600 covers all three.
            Files.createFile(dbFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException alreadyThere) {
            // Opened before, or by a concurrent process: SQLite handles an empty file as a new database.
        } catch (IOException e) {
            throw new TokenStoreException("cannot create " + dbFile + " (" + e
                    + "): check that this user may write " + tokenDirectory, e);
        }
        SqliteDatabase db = new SqliteDatabase(dbFile);
        try {
            SealedBlobs blobs = Schema.prepare(db, tokenDirectory, keyProvisioned);
            return new SqliteTokenStore(db, blobs, dbFile, WalIndexWatch.of(dbFile));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public Optional<TokenRecord> token() {
        synchronized (lock) {
            return db.read("read token", () -> {
                try (SqliteStatement rs = db.query("SELECT label, serial FROM token WHERE id = 1")) {
                    return rs.step() ? Optional.of(new TokenRecord(rs.getString(0), rs.getString(1))) : Optional.empty();
                }
            });
        }
    }

    @Override
    public void initialize(TokenRecord token, List<UserRecord> users) {
        synchronized (lock) {
            write("initialize token", () -> {
                long generation = bumpGeneration();
                // Tombstones rather than a bare DELETE: other processes must learn these objects are gone.
                db.update("INSERT OR REPLACE INTO tombstones (id, generation) SELECT id, ? FROM objects", generation);
                db.update("DELETE FROM objects");
                db.update("DELETE FROM users");
                for (UserRecord user : users) {
                    insertUser(user);
                }
                db.update("INSERT OR REPLACE INTO token (id, label, serial) VALUES (1, ?, ?)",
                        token.label(), token.serialNumber());
                audit.noteChange(0, false);
                return generation;
            });
        }
    }

    @Override
    public List<UserRecord> users() {
        return readUsers(StoreImages.ALL_USERS);
    }

    @Override
    public Optional<UserRecord> user(String name) {
        return readUsers("SELECT name, role, verifier, failed_logins, locked FROM users WHERE name = ?", name)
                .stream().findFirst();
    }

    private List<UserRecord> readUsers(String sql, Object... args) {
        synchronized (lock) {
            return db.read("read users", () -> StoreImages.users(db, blobs, sql, args));
        }
    }

    @Override
    public void saveUser(UserRecord user) {
        synchronized (lock) {
            auditedWrite("save user", () -> {
                insertUser(user);
                audit.noteChange(0, true);
                return null;
            });
        }
    }

    private void insertUser(UserRecord user) throws SqliteException {
        StoreImages.insertUser(db, blobs, user);
    }

    @Override
    public void deleteUser(String name) {
        synchronized (lock) {
            auditedWrite("delete user", () -> {
                db.update("DELETE FROM users WHERE name = ?", name);
                audit.noteChange(0, true);
                return null;
            });
        }
    }

    @Override
    public LoginAttempt beginLogin(String name, long role, int lockAfter) {
        Counted counted;
        synchronized (lock) {
            counted = tx("begin login", () -> {
                try (SqliteStatement rs = db.query("UPDATE users SET failed_logins = failed_logins + 1"
                        + " WHERE name = ? AND role = ? AND locked = 0 AND failed_logins < ?"
                        + " RETURNING verifier, failed_logins", name, role, lockAfter)) {
                    if (rs.step()) {
                        return new Counted(rs.getBytes(0), rs.getInt(1), LoginAttempt.Outcome.STARTED);
                    }
                }
                try (SqliteStatement rs = db.query("SELECT role FROM users WHERE name = ?", name)) {
                    boolean exists = rs.step() && rs.getLong(0) == role;
                    return new Counted(null, 0, exists ? LoginAttempt.Outcome.LOCKED : LoginAttempt.Outcome.NO_SUCH_USER);
                }
            });
        }
        if (counted.outcome() != LoginAttempt.Outcome.STARTED) {
            return LoginAttempt.refused(counted.outcome());
        }
        byte[] verifier = blobs.open(SealedBlobs.userAad(name), counted.sealedVerifier(), "user " + name);
        return new LoginAttempt(counted.outcome(), new UserRecord(name, role, verifier, counted.failures(), false));
    }

    /** What beginLogin's transaction found, before the verifier is opened outside the lock. */
    private record Counted(byte[] sealedVerifier, int failures, LoginAttempt.Outcome outcome) {}

    @Override
    public boolean loginFailed(String name, int lockAfter) {
        synchronized (lock) {
            return tx("count failed login", () -> {
                try (SqliteStatement rs = db.query("UPDATE users SET locked = (locked OR failed_logins >= ?)"
                        + " WHERE name = ? RETURNING locked", lockAfter, name)) {
                    return rs.step() && rs.getLong(0) != 0;
                }
            });
        }
    }

    @Override
    public boolean loginSucceeded(String name) {
        synchronized (lock) {
            return tx("count successful login",
                    () -> db.update("UPDATE users SET failed_logins = 0 WHERE name = ? AND locked = 0", name)) == 1;
        }
    }

    @Override
    public boolean changeVerifier(String name, byte[] verifier, boolean reset) {
        byte[] sealed = blobs.seal(SealedBlobs.userAad(name), verifier);
        String sql = reset ? "UPDATE users SET verifier = ?, failed_logins = 0, locked = 0 WHERE name = ?"
                : "UPDATE users SET verifier = ? WHERE name = ? AND locked = 0";
        synchronized (lock) {
            return tx("change PIN", () -> db.update(sql, sealed, name)) == 1;
        }
    }

    @Override
    public long insertObject(List<Attribute> attributes) {
        byte[] plain = AttributeCodec.encode(attributes);
        synchronized (lock) {
            long[] idAndGeneration = auditedWrite("insert object", () -> {
                // The generation and the id counter share the state row: one statement, one page.
                long[] bumped = bump(", next_object_id = next_object_id + 1", "next_object_id - 1");
                long generation = bumped[0];
                long id = bumped[1];
                db.update("INSERT INTO objects (id, generation, blob) VALUES (?, ?, ?)",
                        id, generation, blobs.seal(SealedBlobs.objectAad(id), plain));
                audit.noteChange(id, false);
                return new long[] {id, generation};
            });
            knownGeneration = idAndGeneration[1];
            return idAndGeneration[0];
        }
    }

    @Override
    public void updateObject(long id, List<Attribute> attributes) {
        byte[] plain = AttributeCodec.encode(attributes);
        synchronized (lock) {
            write("update object", () -> {
                long generation = bumpGeneration();
                int rows = db.update("UPDATE objects SET generation = ?, blob = ? WHERE id = ?",
                        generation, blobs.seal(SealedBlobs.objectAad(id), plain), id);
                if (rows == 0) {
                    throw new IllegalArgumentException("no token object with id " + id);
                }
                audit.noteChange(id, false);
                return generation;
            });
        }
    }

    /** Deleting an id that is not there (e.g. another process deleted it first) changes nothing. */
    @Override
    public void deleteObject(long id) {
        synchronized (lock) {
            write("delete object", () -> {
                if (db.update("DELETE FROM objects WHERE id = ?", id) == 0) {
                    return knownGeneration;
                }
                long generation = bumpGeneration();
                db.update("INSERT OR REPLACE INTO tombstones (id, generation) VALUES (?, ?)", id, generation);
                audit.noteChange(id, false);
                return generation;
            });
        }
    }

    @Override
    public ObjectChanges changesSince(long generation) {
        long current;
        List<Long> ids;
        List<byte[]> sealed;
        Set<Long> deleted;
        Known k = known;
        if (k.generation() == generation && walIndex.unchangedSince(k.header())) {
            // The answer to nearly every lookup of a token object by handle: no lock, no SQLite call.
            return new ObjectChanges(Map.of(), Set.of(), generation);
        }
        synchronized (lock) {
            // The header, then data_version, then the generation: a commit landing in between shows up
            // as a change on the next call, never as a missed one.
            long[] header = walIndex.read();
            long dataVersion = db.dataVersion();
            if (dataVersion == knownDataVersion && generation == knownGeneration) {
                known = new Known(header, generation);
                return new ObjectChanges(Map.of(), Set.of(), generation);
            }
            ids = new ArrayList<>();
            sealed = new ArrayList<>();
            deleted = new HashSet<>();
            current = db.read("read changes", () -> {
                long now = db.queryLong("SELECT generation FROM state WHERE id = 1");
                if (now == generation) {
                    return now;
                }
                // A caller ahead of the database saw a different database (replaced under us):
                // the best we can do is hand it everything there is.
                long from = generation > now ? 0 : generation;
                try (SqliteStatement rs = db.query("SELECT id, blob FROM objects WHERE generation > ?", from)) {
                    while (rs.step()) {
                        ids.add(rs.getLong(0));
                        sealed.add(rs.getBytes(1));
                    }
                }
                if (from > 0) {
                    try (SqliteStatement rs = db.query("SELECT id FROM tombstones WHERE generation > ?", from)) {
                        while (rs.step()) {
                            deleted.add(rs.getLong(0));
                        }
                    }
                }
                return now;
            });
            knownDataVersion = dataVersion;
            knownGeneration = current;
            known = new Known(header, current);
        }
        // Opening blobs needs no database access: done outside the lock so writers are not held up.
        Map<Long, List<Attribute>> upserted = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            try {
                upserted.put(id, AttributeCodec.decode(blobs.open(SealedBlobs.objectAad(id), sealed.get(i), "object " + id)));
            } catch (TamperedBlobException damaged) {
                // One damaged object must not make every other one unreachable: it drops out of this
                // process's view (its handle is invalid) and is reported, by id, here and by `jhsm hsm check`.
                deleted.add(id);
                ProblemLog.get().error(dbFile.toString(), damaged.getMessage() + "; the object is left out of searches"
                        + " and its handle is invalid; `jhsm hsm check` lists damaged objects, restore a backup to recover it");
            }
        }
        return new ObjectChanges(upserted, deleted, current);
    }

    @Override
    public List<PendingAudit> pendingAudit(long afterId) {
        synchronized (lock) {
            return audit.after(afterId);
        }
    }

    @Override
    public void auditWritten(long upToId) {
        synchronized (lock) {
            audit.written(upToId);
        }
    }

    @Override
    public boolean amendAudit(long id, String record) {
        synchronized (lock) {
            return audit.amend(id, record);
        }
    }

    /** A write that may carry an audited change's record (see {@link PendingAuditTable}). */
    private <T> T auditedWrite(String what, SqliteDatabase.Work<T> work) {
        boolean committed = false;
        try {
            T result = tx(what, () -> {
                audit.attemptStarts();
                return work.run();
            });
            committed = true;
            return result;
        } finally {
            audit.ended(committed);
        }
    }

    /** Every stored object whose sealed blob does not open (damaged, or moved between rows), by id. */
    @Override
    public List<Long> damagedObjects() {
        List<Long> damaged = new ArrayList<>();
        synchronized (lock) {
            db.read("check objects", () -> {
                try (SqliteStatement rs = db.query("SELECT id, blob FROM objects ORDER BY id")) {
                    while (rs.step()) {
                        long id = rs.getLong(0);
                        try {
                            AttributeCodec.decode(blobs.open(SealedBlobs.objectAad(id), rs.getBytes(1), "object " + id));
                        } catch (TamperedBlobException | IllegalArgumentException e) {
                            damaged.add(id);
                        }
                    }
                }
                return null;
            });
        }
        return damaged;
    }

    /** A write transaction; while {@link #applying} a command, it also stores the command's log index. */
    private <T> T tx(String what, SqliteDatabase.Work<T> work) {
        long index = applying;
        if (index == 0) {
            return db.write(what, work);
        }
        return db.write(what, () -> {
            db.update("UPDATE state SET applied_index = ? WHERE id = 1", index);
            return work.run();
        });
    }

    /** Runs one write as replicated-log entry {@code index}: its transaction stores the index with the change. */
    public <T> T applying(long index, java.util.function.Supplier<T> write) {
        synchronized (lock) {
            applying = index;
            try {
                return write.get();
            } finally {
                applying = 0;
            }
        }
    }

    /** The index of the last replicated-log entry applied here (0: none). */
    public long appliedIndex() {
        synchronized (lock) {
            return db.read("read applied index", () -> db.queryLong("SELECT applied_index FROM state WHERE id = 1"));
        }
    }

    /** Stores the applied index alone: for an entry that changed nothing in token.db (a refused write, a settings change). */
    public void recordApplied(long index) {
        synchronized (lock) {
            db.write("record applied index",
                    () -> db.update("UPDATE state SET applied_index = MAX(applied_index, ?) WHERE id = 1", index));
        }
    }

    /** Everything the token holds, read in one transaction (a replication snapshot). */
    public StoreImage image() {
        synchronized (lock) {
            return StoreImages.read(db, blobs);
        }
    }

    /** Replaces everything the token holds by {@code image} (ids, next id, applied index) in one transaction. */
    public void install(StoreImage image) {
        synchronized (lock) {
            knownGeneration = db.write("install snapshot", () -> StoreImages.install(db, blobs, image));
        }
    }

    SealedBlobs blobs() {
        return blobs;
    }

    /** token.db's absolute path: names this token among the others of the process. */
    Path databaseFile() {
        return dbFile.toAbsolutePath().normalize();
    }

    /** Runs an object write and records the generation it committed, for the changesSince shortcut. */
    private void write(String what, SqliteDatabase.Work<Long> work) {
        knownGeneration = auditedWrite(what, work);
    }

    private long bumpGeneration() throws SqliteException {
        return bump("", "0")[0];
    }

    /** Increments the generation (and whatever {@code alsoSet} says) and returns it with {@code alsoReturn}. */
    private long[] bump(String alsoSet, String alsoReturn) throws SqliteException {
        try (SqliteStatement rs = db.query("UPDATE state SET generation = generation + 1" + alsoSet
                + " WHERE id = 1 RETURNING generation, " + alsoReturn)) {
            if (!rs.step()) {
                throw new SqliteException(Sqlite.ERROR, "the state row is missing");
            }
            return new long[] {rs.getLong(0), rs.getLong(1)};
        }
    }

    @Override
    public void close() {
        walIndex.close();
        synchronized (lock) {
            db.close();
        }
        walIndex.release();
    }
}
