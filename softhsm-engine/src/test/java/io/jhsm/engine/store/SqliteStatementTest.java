package io.jhsm.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edges of the JNA binding that JDBC used to cover for us: empty values, NULL, text encoding, error codes. */
class SqliteStatementTest {

    @TempDir
    Path dir;

    @Test
    void emptyAndNullValuesRoundTripAsThemselves() throws Exception {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("t.db"))) {
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB, s TEXT)");
            db.update("INSERT INTO t VALUES (?, ?, ?)", 1L, new byte[0], "");
            db.update("INSERT INTO t VALUES (?, ?, ?)", 2, null, null);
            db.update("INSERT INTO t VALUES (?, ?, ?)", 3L, new byte[] {0, 1, (byte) 0xFF}, "naïve € \uD83D\uDD11");
            try (SqliteStatement rs = db.query("SELECT b, s, typeof(b), typeof(s) FROM t ORDER BY id")) {
                assertTrue(rs.step());
                assertArrayEquals(new byte[0], rs.getBytes(0));
                assertEquals("", rs.getString(1));
                assertEquals("blob", rs.getString(2));
                assertEquals("text", rs.getString(3));
                assertTrue(rs.step());
                assertNull(rs.getBytes(0));
                assertNull(rs.getString(1));
                assertTrue(rs.step());
                assertArrayEquals(new byte[] {0, 1, (byte) 0xFF}, rs.getBytes(0));
                assertEquals("naïve € \uD83D\uDD11", rs.getString(1));
                assertFalse(rs.step());
            }
        }
    }

    @Test
    void aClosedStatementCanBeRunAgainWithNewValues() throws Exception {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("t.db"))) {
            assertEquals(7, db.queryLong("SELECT ? + 0", 7L));
            assertEquals(8, db.queryLong("SELECT ? + 0", 8L));
        }
    }

    @Test
    void failuresCarryTheExtendedCodeAndOnlyLockContentionIsBusy() throws Exception {
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("t.db"))) {
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
            db.update("INSERT INTO t VALUES (1)");
            SqliteException e = assertThrows(SqliteException.class, () -> db.update("INSERT INTO t VALUES (1)"));
            assertEquals(1555, e.code(), e.getMessage()); // SQLITE_CONSTRAINT_PRIMARYKEY
            assertFalse(e.isBusy());
            // The statement was reset by the failure, so it runs again.
            assertEquals(1, db.update("INSERT INTO t VALUES (?)", 2L));
            assertThrows(SqliteException.class, () -> db.statement("SELECT nonsense FROM"));
        }
        for (int busy : new int[] {5, 6, 261, 262, 517}) { // BUSY, LOCKED, BUSY_RECOVERY, LOCKED_SHAREDCACHE, BUSY_SNAPSHOT
            assertTrue(new SqliteException(busy, "x").isBusy(), "code " + busy);
        }
    }
}
