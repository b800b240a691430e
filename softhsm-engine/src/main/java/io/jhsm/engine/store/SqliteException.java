package io.jhsm.engine.store;

import com.sun.jna.Pointer;

/**
 * A failed SQLite call, with its extended result code. Checked, so that every database step
 * passes through {@link SqliteDatabase}'s retry loop, which tells lock contention (worth waiting
 * for) from real failures (reported as TokenStoreException).
 */
final class SqliteException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int code;

    SqliteException(int code, String message) {
        super(message + " [SQLite " + code + "]");
        this.code = code;
    }

    /** The connection's last error; read at once, before another call on {@code db} replaces it. */
    static SqliteException lastError(Pointer db, String context) {
        int code = Sqlite.sqlite3_extended_errcode(db);
        return new SqliteException(code, context + ": " + utf8(Sqlite.sqlite3_errmsg(db)));
    }

    /** For failures with no connection to ask (opening one). */
    static SqliteException of(int code, String context) {
        return new SqliteException(code, context + ": " + utf8(Sqlite.sqlite3_errstr(code)));
    }

    private static String utf8(Pointer message) {
        return message == null ? "(no message)" : message.getString(0, "UTF-8");
    }

    /** The extended result code; its low byte is the primary code. */
    int code() {
        return code;
    }

    /**
     * SQLITE_BUSY, SQLITE_LOCKED and their extended forms (e.g. BUSY_SNAPSHOT, LOCKED_SHAREDCACHE):
     * another connection holds what we need, so the same work may succeed a moment later.
     */
    boolean isBusy() {
        int primary = code & 0xFF;
        return primary == Sqlite.BUSY || primary == Sqlite.LOCKED;
    }
}
