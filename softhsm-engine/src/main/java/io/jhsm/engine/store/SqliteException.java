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

    /** What the owner of the token directory can do about this failure, or "" when nothing specific helps. */
    String remedy() {
        switch (code & 0xFF) {
            case 11: // SQLITE_CORRUPT
            case 26: // SQLITE_NOTADB
                return "; the token database is damaged (truncated or overwritten): restore token.db from a backup"
                        + " of the token directory, or restore a jhsm backup into a fresh slot";
            case 3: // SQLITE_PERM
            case 8: // SQLITE_READONLY
            case 14: // SQLITE_CANTOPEN
                return "; check that this user may read and write the token directory and its token.db, -wal and -shm files";
            case 13: // SQLITE_FULL
                return "; the disk is full: free space and retry";
            case 10: // SQLITE_IOERR
                return "; the disk reported an I/O error: check the file system";
            default:
                return "";
        }
    }
}
