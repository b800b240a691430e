package io.jhsm.engine.diag;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One line per problem the caller only sees as a CK_RV (CKR_DEVICE_ERROR, CKR_GENERAL_ERROR, ...):
 * what failed, where, what to do. Lines go to the file named by {@code JHSM_LOG} (appended), else to
 * stderr; {@code JHSM_LOG_LEVEL} = error (default), warn, info or off. The same message is written at
 * most once per {@link #WINDOW_MILLIS} ms, the next one saying how many were suppressed, and at most
 * {@link #MAX_LINES_PER_WINDOW} lines are written per window, so a failing loop does not flood. Callers pass messages that never carry a PIN or key value.
 */
public final class ProblemLog {
    public static final String ENV_FILE = "JHSM_LOG";
    public static final String ENV_LEVEL = "JHSM_LOG_LEVEL";
    static final long WINDOW_MILLIS = 10_000;
    private static final int MAX_REMEMBERED = 256;
    static final int MAX_LINES_PER_WINDOW = 100;

    public enum Level { ERROR, WARN, INFO }

    private static volatile ProblemLog shared;

    private final Consumer<String> sink;
    /** The least severe level written; null: nothing is. */
    private final Level threshold;
    private final LongSupplier clock;
    /** Message → [time last written, suppressed since]; guarded by this. */
    private final Map<String, long[]> recent = new LinkedHashMap<>();
    /** Lines written in the window starting at windowStart, and lines dropped over the cap since the last one written; guarded by this. */
    private long windowStart = Long.MIN_VALUE / 2;
    private int linesInWindow;
    private long dropped;

    ProblemLog(Consumer<String> sink, Level threshold, LongSupplier clock) {
        this.sink = sink;
        this.threshold = threshold;
        this.clock = clock;
    }

    /** The process's log, configured from the environment on first use. */
    public static ProblemLog get() {
        ProblemLog l = shared;
        if (l == null) {
            synchronized (ProblemLog.class) {
                if (shared == null) {
                    shared = fromEnvironment(System.getenv());
                }
                l = shared;
            }
        }
        return l;
    }

    static ProblemLog fromEnvironment(Map<String, String> env) {
        String levelName = env.getOrDefault(ENV_LEVEL, "error").trim().toUpperCase(Locale.ROOT);
        if (levelName.equals("OFF")) {
            return new ProblemLog(line -> { }, null, System::currentTimeMillis);
        }
        Level level;
        try {
            level = Level.valueOf(levelName);
        } catch (IllegalArgumentException unknown) {
            level = Level.ERROR;
        }
        String file = env.get(ENV_FILE);
        PrintStream out = System.err;
        if (file != null && !file.isBlank()) {
            try {
                out = new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("jhsm: cannot open " + ENV_FILE + " file " + file + " (" + e.getMessage()
                        + "); logging to stderr instead");
            }
        }
        PrintStream target = out;
        return new ProblemLog(target::println, level, System::currentTimeMillis);
    }

    public void error(String where, String message) {
        log(Level.ERROR, where, message);
    }

    public void warn(String where, String message) {
        log(Level.WARN, where, message);
    }

    public void log(Level level, String where, String message) {
        if (threshold == null || level.ordinal() > threshold.ordinal()) {
            return;
        }
        String key = where + ": " + message;
        long now = clock.getAsLong();
        long suppressed;
        long othersDropped;
        synchronized (this) {
            long[] seen = recent.get(key);
            if (seen != null && now - seen[0] < WINDOW_MILLIS) {
                seen[1]++;
                return;
            }
            // Distinct messages (one per object id, say) are capped too, so no loop floods the log.
            if (now - windowStart >= WINDOW_MILLIS) {
                windowStart = now;
                linesInWindow = 0;
            }
            if (++linesInWindow > MAX_LINES_PER_WINDOW) {
                dropped++;
                return;
            }
            suppressed = seen == null ? 0 : seen[1];
            othersDropped = dropped;
            dropped = 0;
            if (seen == null && recent.size() >= MAX_REMEMBERED) {
                recent.remove(recent.keySet().iterator().next());
            }
            recent.put(key, new long[] {now, 0});
        }
        String line = Instant.ofEpochMilli(now).truncatedTo(ChronoUnit.SECONDS) + " jhsm[" + ProcessHandle.current().pid()
                + "] " + level + " " + key + (suppressed > 0 ? " (repeated " + suppressed + " times since last shown)" : "")
                + (othersDropped > 0 ? " (" + othersDropped + " other lines dropped: too many in " + WINDOW_MILLIS / 1000
                + " s)" : "");
        try {
            sink.accept(line);
        } catch (RuntimeException ignored) {
            // A log that cannot be written must not change the CK_RV the caller gets.
        }
    }
}
