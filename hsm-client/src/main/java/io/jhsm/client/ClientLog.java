package io.jhsm.client;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The client's one-line problem log, as the engine's ProblemLog writes it (the client cannot depend on
 * the engine): appended to {@code JHSM_LOG}, else stderr; {@code JHSM_LOG_LEVEL=off} silences it. The
 * same line is written at most once per ten seconds so a retry loop against a dead HSM does not flood, even when
 * each failed call leaves two lines (the HSM's and the session's).
 * Callers never pass a PIN or key bytes.
 */
final class ClientLog {
    private static final long WINDOW_MILLIS = 10_000;
    private static volatile ClientLog shared;

    private final PrintStream out;
    /** When each of the 64 lines written last was written: the ten-second window per line. */
    private final Map<String, Long> recent = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 64;
        }
    };

    private ClientLog(PrintStream out) {
        this.out = out;
    }

    static ClientLog get() {
        ClientLog l = shared;
        if (l == null) {
            synchronized (ClientLog.class) {
                if (shared == null) {
                    shared = fromEnvironment(System.getenv());
                }
                l = shared;
            }
        }
        return l;
    }

    static ClientLog fromEnvironment(Map<String, String> env) {
        if ("off".equalsIgnoreCase(env.getOrDefault("JHSM_LOG_LEVEL", "").trim())) {
            return new ClientLog(null);
        }
        String file = env.get("JHSM_LOG");
        if (file != null && !file.isBlank()) {
            try {
                return new ClientLog(new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8));
            } catch (IOException e) {
                System.err.println("jhsm: cannot append to JHSM_LOG " + file + " (" + e.getMessage() + "); logging to stderr");
            }
        }
        return new ClientLog(System.err);
    }

    /** A line about something the client recovered from (no CK_RV reached the application for it). */
    void warning(String message) {
        problem("warning", message);
    }

    /** {@code rvName}: the CK_RV the caller sees; {@code message}: what, where, what to do. */
    synchronized void problem(String rvName, String message) {
        if (out == null) {
            return;
        }
        String line = rvName + ": " + message;
        long now = System.currentTimeMillis();
        Long last = recent.get(line);
        if (last != null && now - last < WINDOW_MILLIS) {
            return;
        }
        recent.put(line, now);
        out.println(Instant.ofEpochMilli(now).truncatedTo(ChronoUnit.MILLIS) + " jhsm client " + line);
    }
}
