package io.jhsm.engine.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * token.db's audit_pending table as one connection uses it: records put in by the transactions that
 * commit audited changes ({@link AuditIntent}), read back by AuditLog, dropped once audit.log holds
 * them. Reading back is on every audited call, so it usually costs no SQL: while no other connection
 * has committed (PRAGMA data_version unchanged since the last full read), the only rows newer than that
 * read are this connection's own, which are kept here once their transaction has committed.
 * Not thread-safe: the store calls it under its lock.
 */
final class PendingAuditTable {
    /** Rows pruned at most once per this many audited writes: a DELETE per write cost a page write per commit. */
    private static final int PRUNE_EVERY = 32;

    private final SqliteDatabase db;
    /** data_version at the last full read of the table. */
    private long readAtVersion = Long.MIN_VALUE;
    /** Rows this connection committed since that read. */
    private final TreeMap<Long, String> own = new TreeMap<>();
    /** Rows written in the open transaction: they join {@link #own} only if it commits. */
    private final Map<Long, String> inTransaction = new TreeMap<>();
    /** Rows up to this id are in audit.log (AuditLog says so); those up to pruned are deleted. */
    private long written;
    private long pruned;
    private int writesSincePrune;

    PendingAuditTable(SqliteDatabase db) {
        this.db = db;
    }

    /**
     * In a write transaction: puts the record of the call running on this thread (if it opened an
     * AuditIntent) into the transaction committing its change.
     */
    void noteChange(long objectId, boolean userWrite) throws SqliteException {
        AuditIntent intent = AuditIntent.current();
        if (intent == null || (userWrite && !intent.coversUsers())) {
            return;
        }
        String record = intent.recordWith(objectId);
        if (intent.row() == 0) {
            intent.row(db.queryLong("INSERT INTO audit_pending (record) VALUES (?) RETURNING id", record));
        } else {
            db.update("UPDATE audit_pending SET record = ? WHERE id = ?", record, intent.row());
        }
        inTransaction.put(intent.row(), record);
        if (written > pruned && ++writesSincePrune >= PRUNE_EVERY) {
            db.update("DELETE FROM audit_pending WHERE id <= ?", written);
            pruned = written;
            writesSincePrune = 0;
        }
    }

    /**
     * Before each attempt at a write transaction (the database retries a busy one): a row an earlier,
     * rolled-back attempt inserted does not exist, so the call's record is inserted anew.
     */
    void attemptStarts() {
        inTransaction.clear();
        forgetUncommittedRow();
    }

    /** After the transaction: its rows are known to exist only if it committed. */
    void ended(boolean committed) {
        if (committed) {
            own.putAll(inTransaction);
            AuditIntent intent = AuditIntent.current();
            if (intent != null && inTransaction.containsKey(intent.row())) {
                intent.rowCommitted(true);
            }
        } else {
            forgetUncommittedRow();
        }
        inTransaction.clear();
    }

    private static void forgetUncommittedRow() {
        AuditIntent intent = AuditIntent.current();
        if (intent != null && !intent.rowCommitted()) {
            intent.row(0);
        }
    }

    List<PendingAudit> after(long afterId) {
        long version = db.dataVersion();
        List<PendingAudit> pending = new ArrayList<>();
        if (version == readAtVersion) {
            own.tailMap(afterId, false).forEach((id, record) -> pending.add(new PendingAudit(id, record)));
            return pending;
        }
        db.read("read pending audit records", () -> {
            try (SqliteStatement rs = db.query("SELECT id, record FROM audit_pending WHERE id > ? ORDER BY id", afterId)) {
                while (rs.step()) {
                    pending.add(new PendingAudit(rs.getLong(0), rs.getString(1)));
                }
            }
            return null;
        });
        readAtVersion = version;
        own.clear();
        return pending;
    }

    void written(long upToId) {
        written = Math.max(written, upToId);
        own.headMap(written, true).clear();
    }

    boolean amend(long id, String record) {
        boolean found = db.write("amend audit record", () ->
                db.update("UPDATE audit_pending SET record = ? WHERE id = ?", record, id)) > 0;
        if (found && own.containsKey(id)) {
            own.put(id, record);
        }
        return found;
    }
}
