package io.jhsm.engine.store;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * One compiled statement, kept by {@link SqliteDatabase} for the life of the connection so the hot
 * path never re-parses SQL. One execution at a time: bind, step through the rows, then
 * {@link #close()}, which resets it for the next use (an unreset statement would pin its read
 * snapshot). {@link #destroy()} frees it for good. Column and parameter indexes are SQLite's:
 * columns from 0, parameters from 1.
 */
final class SqliteStatement implements AutoCloseable {

    private static final byte[] NO_BYTES = new byte[0];

    private final Pointer db;
    private final Pointer handle;
    private final String sql;
    /** Whether values are bound; clearing is skipped otherwise, as the hot PRAGMA path binds none. */
    private boolean bound;

    private SqliteStatement(Pointer db, Pointer handle, String sql) {
        this.db = db;
        this.handle = handle;
        this.sql = sql;
    }

    static SqliteStatement prepare(Pointer db, String sql) throws SqliteException {
        byte[] utf8 = sql.getBytes(StandardCharsets.UTF_8);
        PointerByReference out = new PointerByReference();
        if (Sqlite.sqlite3_prepare_v2(db, utf8, utf8.length, out, null) != Sqlite.OK) {
            throw SqliteException.lastError(db, sql);
        }
        if (out.getValue() == null) {
            // Only whitespace or comments: SQLite compiles nothing, and there would be nothing to run.
            throw new SqliteException(Sqlite.MISUSE, "no statement in \"" + sql + "\"");
        }
        return new SqliteStatement(db, out.getValue(), sql);
    }

    /** Binds {@code args} to parameters 1..n: Long/Integer/Short/Byte, String, byte[] or null. */
    SqliteStatement bind(Object... args) throws SqliteException {
        bound |= args.length > 0;
        for (int i = 0; i < args.length; i++) {
            check(bindOne(i + 1, args[i]));
        }
        return this;
    }

    private int bindOne(int index, Object value) {
        if (value == null) {
            return Sqlite.sqlite3_bind_null(handle, index);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Sqlite.sqlite3_bind_int64(handle, index, ((Number) value).longValue());
        }
        if (value instanceof byte[] bytes) {
            // An empty Java array may reach C as NULL, which SQLite would store as NULL, not as X''.
            return bytes.length == 0
                    ? Sqlite.sqlite3_bind_zeroblob(handle, index, 0)
                    : Sqlite.sqlite3_bind_blob(handle, index, bytes, bytes.length, Sqlite.TRANSIENT);
        }
        if (value instanceof String text) {
            // NUL-terminated so that even "" is a real buffer (an empty array might arrive as NULL).
            byte[] utf8 = (text + '\0').getBytes(StandardCharsets.UTF_8);
            return Sqlite.sqlite3_bind_text(handle, index, utf8, utf8.length - 1, Sqlite.TRANSIENT);
        }
        throw new IllegalArgumentException("cannot bind a " + value.getClass().getName() + " to " + sql);
    }

    /** Advances to the next row: true if there is one, false once the statement is done. */
    boolean step() throws SqliteException {
        int rc = Sqlite.sqlite3_step(handle);
        if (rc == Sqlite.ROW) {
            return true;
        }
        if (rc == Sqlite.DONE) {
            return false;
        }
        throw SqliteException.lastError(db, sql);
    }

    /** Runs to completion, ignoring any rows, and returns how many rows it inserted, updated or deleted. */
    int execute() throws SqliteException {
        try {
            while (step()) {
                // PRAGMAs such as journal_mode answer with a row that callers of execute() do not need.
            }
            return Sqlite.sqlite3_changes(db);
        } finally {
            close();
        }
    }

    long getLong(int column) {
        return Sqlite.sqlite3_column_int64(handle, column);
    }

    int getInt(int column) {
        return (int) getLong(column);
    }

    /** The column as bytes, copied out now: SQLite's buffer is only valid until the next step or reset. */
    byte[] getBytes(int column) {
        if (Sqlite.sqlite3_column_type(handle, column) == Sqlite.TYPE_NULL) {
            return null;
        }
        // Pointer first, then the length: that order is SQLite's advice, a later type conversion
        // could otherwise invalidate the pointer or change the length.
        Pointer data = Sqlite.sqlite3_column_blob(handle, column);
        int length = Sqlite.sqlite3_column_bytes(handle, column);
        return length == 0 ? NO_BYTES.clone() : data.getByteArray(0, length);
    }

    String getString(int column) {
        if (Sqlite.sqlite3_column_type(handle, column) == Sqlite.TYPE_NULL) {
            return null;
        }
        Pointer text = Sqlite.sqlite3_column_text(handle, column);
        int length = Sqlite.sqlite3_column_bytes(handle, column);
        return length == 0 ? "" : new String(text.getByteArray(0, length), StandardCharsets.UTF_8);
    }

    /**
     * Ends this execution: resets the statement (releasing its snapshot) and drops its bindings, so
     * no blob stays referenced. The statement stays compiled for the next use. The result code of
     * reset repeats the last step's error, which step already reported, so it is not checked here.
     */
    @Override
    public void close() {
        Sqlite.sqlite3_reset(handle);
        if (bound) {
            Sqlite.sqlite3_clear_bindings(handle);
            bound = false;
        }
    }

    /** Frees the compiled statement; the connection cannot close cleanly while any remain. */
    void destroy() {
        Sqlite.sqlite3_finalize(handle);
    }

    private void check(int rc) throws SqliteException {
        if (rc != Sqlite.OK) {
            throw SqliteException.lastError(db, sql);
        }
    }
}
