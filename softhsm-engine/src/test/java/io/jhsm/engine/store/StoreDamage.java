package io.jhsm.engine.store;

import java.nio.file.Path;

/** Damages a token database the way a bad disk or an editor would, for tests outside this package. */
public final class StoreDamage {
    private StoreDamage() {}

    /**
     * Changes the last byte of one object's sealed blob (to 00, or to 01 where it already was 00: the
     * blob must always change), so it no longer authenticates.
     */
    public static void flipLastByteOfObject(Path tokenDirectory, long id) throws Exception {
        try (var c = new SqliteDatabase(tokenDirectory.resolve(SqliteTokenStore.DATABASE_FILE))) {
            c.update("UPDATE objects SET blob = substr(blob, 1, length(blob) - 1)"
                    + " || CASE WHEN substr(blob, -1) = X'00' THEN X'01' ELSE X'00' END WHERE id = " + id);
        }
    }
}
