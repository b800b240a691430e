package io.jhsm.engine.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The applying side of replicated commands for one token's database: opens a command, runs its write
 * against this HSM's own store with the entry's log index committed in the same transaction, and commits
 * the calling HSM's audit record with it (one record per call however many writes it makes, as locally).
 * Called by one applier thread at a time (ReplicatedState's).
 */
public final class CommandApplier {
    /** Calls whose writes may still come: a call's writes are consecutive entries, so a few suffice. */
    private static final int CALLS_KEPT = 256;

    private final SqliteTokenStore store;
    private final CommandCodec codec;
    private final Map<Long, AuditIntent> calls = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, AuditIntent> eldest) {
            return size() > CALLS_KEPT;
        }
    };

    public CommandApplier(SqliteTokenStore store) {
        this.store = store;
        this.codec = new CommandCodec(store.blobs());
    }

    /** Opens a command's bytes; IllegalArgumentException or TamperedBlobException when they are not one of this cluster's. */
    public Command open(byte[] command) {
        return codec.decode(command);
    }

    /** Applies a token.db write (any kind but SETTINGS) as log entry {@code index}; returns its encoded result. */
    public byte[] apply(long index, Command command) {
        CommandKind kind = command.kind();
        if (kind.applier == null) {
            throw new IllegalArgumentException(kind + " does not change token.db");
        }
        AuditIntent intent = command.audit() == null ? null
                : calls.computeIfAbsent(command.audit().call(), c -> AuditIntent.replaying(command.audit().coversUsers()));
        Supplier<CommandResult> write = () -> {
            try {
                long value = kind.applier.apply(store, new CommandReader(command.body()));
                if (intent != null && intent.rowCommitted()) {
                    LocalAuditRows.applied(store.databaseFile(), command.audit().call(), intent.row());
                }
                return new CommandResult(value, "");
            } catch (IllegalArgumentException refused) {
                // Refused alike on every HSM (same commands, same order): the entry is applied, as a refusal.
                store.recordApplied(index);
                return new CommandResult(0, String.valueOf(refused.getMessage()));
            }
        };
        if (intent != null) {
            intent.replayed(command.audit().record());
        }
        return store.applying(index, () -> intent == null ? write.get() : intent.during(write)).encode();
    }

    /** The answer of an entry that answers nothing: a settings change, or an entry at or below the applied index (skipped). */
    public static byte[] nothing() {
        return CommandResult.NOTHING.encode();
    }

    /**
     * Whether the command's call was made on this HSM and is still running: its audit record is then the
     * call's to settle (a refusal may still amend it), not the applier's to copy into audit.log.
     */
    public boolean madeHere(Command command) {
        return command.audit() != null && LocalAuditRows.expected(store.databaseFile(), command.audit().call());
    }

    /** Forgets calls in progress (a snapshot replaced the state they were writing to). */
    public void forgetCalls() {
        calls.clear();
    }
}
