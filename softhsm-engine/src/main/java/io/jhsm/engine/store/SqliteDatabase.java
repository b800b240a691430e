package io.jhsm.engine.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.sqlite.SQLiteException;

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
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    SqliteDatabase(Path file) {
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new TokenStoreException("cannot open " + file, e);
        }
        try {
            configure(file);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void configure(Path file) {
        retrying("configure", () -> {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
                // WAL: readers never block the writer and a commit is one append. Changing the
                // journal mode needs a moment of exclusive access, hence inside the retry loop.
                try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                    if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                        throw new SQLException("cannot switch " + file + " to WAL mode");
                    }
                }
                // NORMAL in WAL mode: no fsync per commit, yet a crash (even kill -9 mid-commit)
                // leaves the database consistent; only a power loss can lose the last commits.
                s.execute("PRAGMA synchronous = NORMAL");
                // Checkpoints are where WAL mode fsyncs; every 4096 pages (16 MiB of WAL) instead of
                // the default 1000 makes them rarer on the insert path (measured ~20% more inserts/s).
                s.execute("PRAGMA wal_autocheckpoint = 4096");
                s.execute("PRAGMA foreign_keys = OFF");
            }
            return null;
        });
    }

    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /** Runs a query expected to return one row of one integer column. */
    long queryLong(String sql, Object... args) throws SQLException {
        PreparedStatement ps = bind(sql, args);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("no row from " + sql);
            }
            return rs.getLong(1);
        }
    }

    int update(String sql, Object... args) throws SQLException {
        return bind(sql, args).executeUpdate();
    }

    PreparedStatement bind(String sql, Object... args) throws SQLException {
        PreparedStatement ps = statement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
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
            } catch (SQLException | RuntimeException | Error e) {
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
            } catch (SQLException e) {
                if (!isBusy(e) || System.nanoTime() - deadline > 0) {
                    throw new TokenStoreException(what + " failed: " + e.getMessage(), e);
                }
                backOff(attempt);
            }
        }
    }

    static boolean isBusy(SQLException e) {
        int code = e instanceof SQLiteException s ? s.getResultCode().code : e.getErrorCode();
        int primary = code & 0xFF;
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
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

    void execute(String sql) throws SQLException {
        statement(sql).execute();
    }

    private void rollbackQuietly() {
        try {
            execute("ROLLBACK");
        } catch (SQLException ignored) {
            // No transaction left to roll back: SQLite already did (e.g. after an I/O error).
        }
    }

    @Override
    public void close() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // Closing the connection below releases it anyway.
            }
        }
        statements.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new TokenStoreException("cannot close the token database", e);
        }
    }
}
