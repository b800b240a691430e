package io.jhsm.engine.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The audit record an engine call wants committed together with the change it makes. The call opens
 * an intent on its thread; every store write the call commits (object insert, update, delete, token
 * initialisation, and user writes when {@link #coversUsers}) puts the record, rendered for the
 * objects committed so far, into token.db's audit_pending table in the same transaction. So a change
 * is never committed without its record, whatever happens to the process afterwards; the audit log
 * file is then brought up to date from that table (see AuditLog).
 */
public final class AuditIntent implements AutoCloseable {
    private static final ThreadLocal<AuditIntent> CURRENT = new ThreadLocal<>();

    private final Function<List<Long>, String> render;
    private final boolean coversUsers;
    private final AuditIntent outer;
    /** Names this call in replicated commands, so every HSM keeps one record for all the call's writes. */
    private final long call = java.util.concurrent.ThreadLocalRandom.current().nextLong();
    /**
     * On an HSM applying another HSM's command: the record as the calling HSM rendered it, with
     * {@link #NEW_OBJECT} standing for the object id this HSM assigns; null for a local call.
     */
    private String replayed;
    private final List<Long> committed = new ArrayList<>();
    private long row;
    private boolean rowCommitted;

    private AuditIntent(Function<List<Long>, String> render, boolean coversUsers, AuditIntent outer) {
        this.render = render;
        this.coversUsers = coversUsers;
        this.outer = outer;
    }

    /**
     * Opens an intent on this thread until {@link #close}. {@code render} turns the ids of the objects
     * the call has committed into the record's text; {@code coversUsers}: user writes (PIN changes) are
     * the call's change too, not a side effect such as a login failure count.
     */
    public static AuditIntent open(Function<List<Long>, String> render, boolean coversUsers) {
        AuditIntent intent = new AuditIntent(render, coversUsers, CURRENT.get());
        CURRENT.set(intent);
        return intent;
    }

    /** Stands in a replicated command's record for the id of the object the command inserts (ids never get this high). */
    static final long NEW_OBJECT = Long.MAX_VALUE;

    /** An intent for applying replicated commands of one call: not current until {@link #during}. */
    static AuditIntent replaying(boolean coversUsers) {
        return new AuditIntent(null, coversUsers, null);
    }

    /** Takes the record a replicated command carries (see {@link #NEW_OBJECT}). */
    void replayed(String record) {
        replayed = record;
    }

    /** Runs {@code work} with this intent current on this thread, then restores whatever was current. */
    <T> T during(java.util.function.Supplier<T> work) {
        AuditIntent before = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    long call() {
        return call;
    }

    /** The record as it would read with {@code objectId} (0: none) committed too, without committing it. */
    String preview(long objectId) {
        List<Long> ids = new ArrayList<>(committed);
        if (objectId > 0 && !ids.contains(objectId)) {
            ids.add(objectId);
        }
        return render.apply(ids);
    }

    /** A replicated write of this call committed {@code objectId} (0: none) with its record in row {@code row}. */
    void committedThroughLog(long objectId, long row) {
        if (objectId > 0 && !committed.contains(objectId)) {
            committed.add(objectId);
        }
        this.row = row;
        this.rowCommitted = true;
    }

    static AuditIntent current() {
        return CURRENT.get();
    }

    boolean coversUsers() {
        return coversUsers;
    }

    /** The record for everything committed so far, with {@code objectId} (0: no object) added. */
    String recordWith(long objectId) {
        if (objectId > 0 && !committed.contains(objectId)) {
            committed.add(objectId);
        }
        if (replayed != null) {
            return replayed.replace(Long.toString(NEW_OBJECT), Long.toString(objectId));
        }
        return render.apply(List.copyOf(committed));
    }

    /** The audit_pending row holding this call's record; 0 while the call has committed nothing. */
    public long row() {
        return row;
    }

    void row(long id) {
        row = id;
    }

    /** Whether {@link #row} exists: it was inserted by a transaction that committed (not one rolled back or retried). */
    boolean rowCommitted() {
        return rowCommitted;
    }

    void rowCommitted(boolean committed) {
        rowCommitted = committed;
    }

    /** The stored objects the call has committed, in order. */
    public List<Long> committed() {
        return List.copyOf(committed);
    }

    @Override
    public void close() {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }
}
