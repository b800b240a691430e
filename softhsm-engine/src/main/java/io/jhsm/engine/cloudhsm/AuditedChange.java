package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.diag.KillPoint;
import io.jhsm.engine.store.AuditIntent;
import io.jhsm.engine.store.TokenStore;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a change with its audit record committed in the same transaction ({@link AuditIntent}), then
 * brings audit.log up to date. A refusal is recorded as such (in place of the committed record when the
 * change had already committed part of itself); a call that committed nothing is appended directly.
 * Used by the PKCS#11 path (AuditHooks) and the CLI's management path (CloudHsm).
 */
public final class AuditedChange {
    /** The record for an outcome: its CK_RV (0: done), the keys it made or touched, the failure if any. */
    @FunctionalInterface
    public interface Record {
        AuditEvent of(long rv, List<Long> keys, RuntimeException failure);
    }

    private AuditedChange() {}

    /** Runs {@code change}; returns what it returns (the handles it made). */
    public static long[] run(AuditLog log, TokenStore store, boolean coversUsers, Record record, Supplier<long[]> change) {
        try (AuditIntent intent = AuditIntent.open(ids -> AuditLog.pendingRecord(record.of(0, ids, null)), coversUsers)) {
            long[] result;
            try {
                result = change.get();
            } catch (RuntimeException e) {
                settle(log, store, intent, record.of(rv(e), intent.committed(), e));
                throw e;
            }
            KillPoint.reached(KillPoint.AUDIT_AFTER_COMMIT);
            List<Long> made = new ArrayList<>();
            for (long k : result) {
                made.add(k);
            }
            AuditEvent done = record.of(0, made, null);
            if (intent.row() != 0
                    && new HashSet<>(done.keys()).equals(new HashSet<>(record.of(0, intent.committed(), null).keys()))) {
                log.sync();
            } else {
                // Nothing committed, or the call also returned session objects the committed record lacks.
                settle(log, store, intent, done);
            }
            return result;
        }
    }

    private static long rv(RuntimeException e) {
        return e instanceof HsmException h ? h.rv() : e instanceof CkException ck ? ck.rv() : CKR.GENERAL_ERROR;
    }

    /** Puts the call's final record in the log: in place of its committed one, or as a new record. */
    private static void settle(AuditLog log, TokenStore store, AuditIntent intent, AuditEvent e) {
        if (intent.row() != 0 && store.amendAudit(intent.row(), AuditLog.pendingRecord(e))) {
            log.sync();
        } else {
            log.append(e);
        }
    }
}
