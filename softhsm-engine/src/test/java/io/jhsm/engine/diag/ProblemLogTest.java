package io.jhsm.engine.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The problem log: one line per problem, a failing loop does not flood it, and levels and JHSM_LOG are honoured. */
class ProblemLogTest {
    @TempDir
    Path dir;

    @Test
    void theSameProblemIsWrittenOncePerWindowThenWithHowManyWereSuppressed() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong(1_000_000);
        ProblemLog log = new ProblemLog(lines::add, ProblemLog.Level.ERROR, now::get);
        for (int i = 0; i < 1000; i++) {
            log.error("C_OpenSession", "token.db is damaged");
        }
        log.error("C_OpenSession", "device.key is missing");
        assertEquals(2, lines.size(), lines.toString());
        now.addAndGet(ProblemLog.WINDOW_MILLIS);
        log.error("C_OpenSession", "token.db is damaged");
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).contains("C_OpenSession: token.db is damaged (repeated 999 times since last shown)"),
                lines.get(2));
    }

    @Test
    void manyDistinctProblemsAreCappedPerWindowAndTheDroppedOnesCounted() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong(1_000_000);
        ProblemLog log = new ProblemLog(lines::add, ProblemLog.Level.ERROR, now::get);
        for (int i = 0; i < 1000; i++) {
            log.error("C_FindObjectsInit", "object " + i + " is damaged");
        }
        assertEquals(ProblemLog.MAX_LINES_PER_WINDOW, lines.size());
        now.addAndGet(ProblemLog.WINDOW_MILLIS);
        log.error("C_FindObjectsInit", "object 5000 is damaged");
        assertTrue(lines.get(lines.size() - 1).contains("(900 other lines dropped"), lines.get(lines.size() - 1));
    }

    @Test
    void linesBelowTheLevelAreNotWritten() {
        List<String> lines = new ArrayList<>();
        ProblemLog log = new ProblemLog(lines::add, ProblemLog.Level.ERROR, System::currentTimeMillis);
        log.warn("here", "a warning");
        log.error("here", "an error");
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains(" ERROR here: an error"), lines.get(0));
    }

    @Test
    void jhsmLogNamesTheFileLinesAreAppendedTo() throws Exception {
        Path file = dir.resolve("jhsm.log");
        ProblemLog log = ProblemLog.fromEnvironment(Map.of(ProblemLog.ENV_FILE, file.toString(), ProblemLog.ENV_LEVEL, "warn"));
        log.warn("C_Initialize", "something to know");
        log.log(ProblemLog.Level.INFO, "C_Initialize", "not at this level");
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("WARN C_Initialize: something to know"), lines.get(0));
    }
}
