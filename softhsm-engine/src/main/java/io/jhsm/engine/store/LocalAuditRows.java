package io.jhsm.engine.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where applying a replicated write on this HSM put the audit record of a call made on this HSM. The
 * cluster's answer to a write is the leader's (the same value on every HSM), but audit_pending rows are
 * each HSM's own: the calling store asks here for its row once the write is applied locally. Only calls a
 * store said it waits for are kept, and each is taken once, so nothing accumulates.
 */
final class LocalAuditRows {
    private record Key(Path database, long call) {}

    private static final Map<Key, Long> ROWS = new ConcurrentHashMap<>();

    private LocalAuditRows() {}

    /** A store of {@code database} sends a write of {@code call} and will {@link #take} its row. */
    static void expect(Path database, long call) {
        ROWS.putIfAbsent(new Key(database, call), 0L);
    }

    /** Applying a write of {@code call} here committed its record in {@code row}; ignored unless expected. */
    static void applied(Path database, long call, long row) {
        ROWS.replace(new Key(database, call), row);
    }

    /** Whether a store of {@code database} in this process waits for {@code call}: the call was made on this HSM. */
    static boolean expected(Path database, long call) {
        return ROWS.containsKey(new Key(database, call));
    }

    /** The row the call's record is in here (0: none), forgetting the call. */
    static long take(Path database, long call) {
        Long row = ROWS.remove(new Key(database, call));
        return row == null ? 0 : row;
    }
}
