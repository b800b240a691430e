package io.jhsm.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Makes a live token's store fail on purpose, through a second connection, for tests of what the engine undoes. */
public final class StoreFaults {
    private StoreFaults() {}

    /** After this, the store under {@code directory} accepts {@code more} object inserts and refuses the next ones. */
    public static void refuseObjectInsertsAfter(Path directory, int more) {
        try (SqliteDatabase db = new SqliteDatabase(tokenDatabase(directory))) {
            long now = db.queryLong("SELECT count(*) FROM objects");
            db.execute("CREATE TRIGGER refuse_inserts BEFORE INSERT ON objects WHEN (SELECT count(*) FROM objects) >= "
                    + (now + more) + " BEGIN SELECT RAISE(ABORT, 'store full'); END");
        } catch (SqliteException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tokenDatabase(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> f.getFileName().toString().equals(SqliteTokenStore.DATABASE_FILE)).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
