package io.jhsm.engine.store;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One SQLite connection with the transaction discipline the token needs when several processes
 * share a database: writes run in BEGIN IMMEDIATE (the write lock is taken up front, so a
 * transaction never fails half-way when upgrading from reader to writer), reads in a deferred
 * transaction (one consistent WAL snapshot), and both are retried on SQLITE_BUSY/LOCKED until a
 * deadline, on top of SQLite's own busy timeout. Not thread-safe: the owner serialises calls.
 */
final class SqliteDatabase implements AutoCloseable {

    /** How long SQLite itself waits on a lock before reporting SQLITE_BUSY. */
    static final int BUSY_TIMEOUT_MS = 5_000;
    /** How long we keep retrying after that: long enough that only a stuck peer makes a write fail. */
    private static final long RETRY_DEADLINE_NANOS = 60_000_000_000L;

    @FunctionalInterface
    interface Work<T> {
        T run() throws SqliteException;
    }

    private final Pointer connection;
    /** Named in every failure message, so a log line says which token it is about. */
    private final Path file;
    private final Map<String, SqliteStatement> statements = new HashMap<>();

    SqliteDatabase(Path file) {
        this.file = file;
        connection = open(file);
        try {
            configure(file);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static Pointer open(Path file) {
        byte[] name = (file.toAbsolutePath() + "\0").getBytes(StandardCharsets.UTF_8);
        PointerByReference out = new PointerByReference();
        int rc;
        try {
            rc = Sqlite.sqlite3_open_v2(name, out,
                    Sqlite.OPEN_READWRITE | Sqlite.OPEN_CREATE | Sqlite.OPEN_FULLMUTEX, null);
        } catch (LinkageError e) {
            // The first use of Sqlite loads libsqlite3; say which package supplies it.
            throw new TokenStoreException("cannot load the SQLite library libsqlite3.so.0"
                    + " (Debian package libsqlite3-0): " + e, e);
        }
        if (rc != Sqlite.OK) {
            // Even a failed open usually hands back a handle, which carries the message and must be closed.
            Pointer db = out.getValue();
            SqliteException e = db == null ? SqliteException.of(rc, "open") : SqliteException.lastError(db, "open");
            if (db != null) {
                Sqlite.sqlite3_close_v2(db);
            }
            throw new TokenStoreException("cannot open " + file + ": " + e.getMessage() + e.remedy(), e);
        }
        return out.getValue();
    }

    private void configure(Path file) {
        retrying("configure", () -> {
            Sqlite.sqlite3_busy_timeout(connection, BUSY_TIMEOUT_MS);
            // WAL: readers never block the writer and a commit is one append. Changing the
            // journal mode needs a moment of exclusive access, hence inside the retry loop.
            try (SqliteStatement s = statement("PRAGMA journal_mode = WAL")) {
                if (!s.step() || !"wal".equalsIgnoreCase(s.getString(0))) {
                    throw new SqliteException(Sqlite.ERROR, "cannot switch " + file + " to WAL mode");
                }
            }
            // NORMAL in WAL mode: no fsync per commit, yet a crash (even kill -9 mid-commit)
            // leaves the database consistent; only a power loss can lose the last commits.
            execute("PRAGMA synchronous = NORMAL");
            // Checkpoints are where WAL mode fsyncs; every 4096 pages (16 MiB of WAL) instead of
            // the default 1000 makes them rarer on the insert path (measured ~20% more inserts/s).
            execute("PRAGMA wal_autocheckpoint = 4096");
            execute("PRAGMA foreign_keys = OFF");
            return null;
        });
    }

    /** The cached compiled statement for {@code sql}; prepared on first use. */
    SqliteStatement statement(String sql) throws SqliteException {
        SqliteStatement statement = statements.get(sql);
        if (statement == null) {
            statement = SqliteStatement.prepare(connection, sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** Runs a query expected to return one row of one integer column. */
    long queryLong(String sql, Object... args) throws SqliteException {
        try (SqliteStatement s = query(sql, args)) {
            if (!s.step()) {
                throw new SqliteException(Sqlite.ERROR, "no row from " + sql);
            }
            return s.getLong(0);
        }
    }

    int update(String sql, Object... args) throws SqliteException {
        return query(sql, args).execute();
    }

    /** The statement for {@code sql} with {@code args} bound, to step through and then close. */
    SqliteStatement query(String sql, Object... args) throws SqliteException {
        return statement(sql).bind(args);
    }

    /**
     * The connection's PRAGMA data_version: it changes exactly when another connection (any
     * process) committed since the last call, which makes "did anything change?" one cheap query.
     */
    long dataVersion() {
        return retrying("data_version", () -> queryLong("PRAGMA data_version"));
    }

    <T> T write(String what, Work<T> work) {
        return inTransaction(what, "BEGIN IMMEDIATE", work);
    }

    <T> T read(String what, Work<T> work) {
        return inTransaction(what, "BEGIN", work);
    }

    private <T> T inTransaction(String what, String begin, Work<T> work) {
        return retrying(what, () -> {
            execute(begin);
            try {
                T result = work.run();
                execute("COMMIT");
                return result;
            } catch (SqliteException | RuntimeException | Error e) {
                rollbackQuietly();
                throw e;
            }
        });
    }

    private <T> T retrying(String what, Work<T> work) {
        long deadline = System.nanoTime() + RETRY_DEADLINE_NANOS;
        for (int attempt = 0; ; attempt++) {
            try {
                return work.run();
            } catch (SqliteException e) {
                if (!e.isBusy() || System.nanoTime() - deadline > 0) {
                    throw new TokenStoreException(file + ": " + what + " failed: " + e.getMessage() + e.remedy(), e);
                }
                backOff(attempt);
            }
        }
    }

    /** Randomised, growing pauses so that retrying writers do not collide in lock-step. */
    private static void backOff(int attempt) {
        long maxMillis = Math.min(50, 1L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, maxMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenStoreException("interrupted while waiting for the token database", e);
        }
    }

    void execute(String sql) throws SqliteException {
        statement(sql).execute();
    }

    private void rollbackQuietly() {
        try {
            execute("ROLLBACK");
        } catch (SqliteException ignored) {
            // No transaction left to roll back: SQLite already did (e.g. after an I/O error).
        }
    }

    @Override
    public void close() {
        // close_v2 would keep the connection alive as a zombie while any statement is unfinalized.
        for (SqliteStatement statement : statements.values()) {
            statement.destroy();
        }
        statements.clear();
        int rc = Sqlite.sqlite3_close_v2(connection);
        if (rc != Sqlite.OK) {
            throw new TokenStoreException("cannot close the token database",
                    SqliteException.lastError(connection, "close"));
        }
    }
}
