package io.jhsm.engine.store;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of the SQLite C API the token store uses, bound to the system's libsqlite3 through JNA
 * direct mapping. Not JDBC on purpose: the JDBC module is absent from the boot layer of JVMs
 * started with {@code -m java.base/...} (keytool, jarsigner, jlinked runtimes) and cannot be added
 * later, while this needs nothing beyond java.base. Direct mapping rather than an interface proxy
 * because {@code PRAGMA data_version} runs before every engine operation and must stay in the
 * microseconds.
 *
 * <p>Handles ({@code sqlite3*}, {@code sqlite3_stmt*}) are plain Pointers; strings cross as UTF-8
 * byte arrays, so the JVM's default charset and jna.encoding play no part.
 */
final class Sqlite {

    static final int OK = 0;
    static final int ERROR = 1;
    static final int BUSY = 5;
    static final int LOCKED = 6;
    static final int MISUSE = 21;
    static final int ROW = 100;
    static final int DONE = 101;

    static final int OPEN_READWRITE = 0x00000002;
    static final int OPEN_CREATE = 0x00000004;
    /** Serialized mode: the store already serialises its callers, this guards whatever slips past. */
    static final int OPEN_FULLMUTEX = 0x00010000;

    static final int TYPE_NULL = 5;

    /** SQLITE_TRANSIENT: SQLite copies bound values, since JNA's copy of a Java array dies with the call. */
    static final Pointer TRANSIENT = Pointer.createConstant(-1L);

    static {
        Native.register(Sqlite.class, library());
    }

    /** "sqlite3" finds libsqlite3.so where the -dev package is installed; runtime-only systems have the soname. */
    private static NativeLibrary library() {
        try {
            return NativeLibrary.getInstance("sqlite3");
        } catch (UnsatisfiedLinkError e) {
            try {
                return NativeLibrary.getInstance("libsqlite3.so.0");
            } catch (UnsatisfiedLinkError again) {
                again.addSuppressed(e);
                throw again;
            }
        }
    }

    private Sqlite() {}

    static native int sqlite3_open_v2(byte[] filename, PointerByReference db, int flags, Pointer vfs);

    static native int sqlite3_close_v2(Pointer db);

    static native int sqlite3_busy_timeout(Pointer db, int milliseconds);

    static native int sqlite3_prepare_v2(Pointer db, byte[] sql, int bytes, PointerByReference statement, Pointer tail);

    static native int sqlite3_bind_int64(Pointer statement, int index, long value);

    static native int sqlite3_bind_blob(Pointer statement, int index, byte[] value, int bytes, Pointer destructor);

    static native int sqlite3_bind_zeroblob(Pointer statement, int index, int bytes);

    static native int sqlite3_bind_text(Pointer statement, int index, byte[] utf8, int bytes, Pointer destructor);

    static native int sqlite3_bind_null(Pointer statement, int index);

    static native int sqlite3_step(Pointer statement);

    static native int sqlite3_column_type(Pointer statement, int column);

    static native long sqlite3_column_int64(Pointer statement, int column);

    static native Pointer sqlite3_column_blob(Pointer statement, int column);

    static native Pointer sqlite3_column_text(Pointer statement, int column);

    static native int sqlite3_column_bytes(Pointer statement, int column);

    static native int sqlite3_reset(Pointer statement);

    static native int sqlite3_clear_bindings(Pointer statement);

    static native int sqlite3_finalize(Pointer statement);

    static native int sqlite3_changes(Pointer db);

    static native int sqlite3_extended_errcode(Pointer db);

    static native Pointer sqlite3_errmsg(Pointer db);

    static native Pointer sqlite3_errstr(int code);
}
