package io.jhsm.engine.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What applying a command on an HSM answered: the write's value (see {@link CommandKind}), the row of
 * that HSM's audit_pending table holding the call's record (0: none), or the refusal the write met there
 * (an unknown object id: every HSM refuses it alike, since they apply the same commands in the same order).
 * Format: {@code version(1) | value(8) | audit row(8) | refusal (UTF-8, empty: none)}.
 */
record CommandResult(long value, long auditRow, String refusal) {
    /** The answer of a settings change, and of an entry applied before (a replay after a restart). */
    static final CommandResult NOTHING = new CommandResult(0, 0, "");

    byte[] encode() {
        byte[] r = refusal.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(17 + r.length).put((byte) CommandCodec.VERSION).putLong(value).putLong(auditRow)
                .put(r).array();
    }

    static CommandResult decode(byte[] bytes) {
        if (bytes == null || bytes.length < 17 || bytes[0] != CommandCodec.VERSION) {
            throw new TokenStoreException("the cluster answered a replicated write with "
                    + (bytes == null ? "nothing" : bytes.length + " bytes") + ", not a result this jhsm reads;"
                    + " run the same jhsm on every HSM of the cluster");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.get();
        return new CommandResult(in.getLong(), in.getLong(),
                new String(bytes, 17, bytes.length - 17, StandardCharsets.UTF_8));
    }

    /** The value, after rethrowing a refusal as the IllegalArgumentException the local store throws. */
    long valueOrThrow() {
        if (!refusal.isEmpty()) {
            throw new IllegalArgumentException(refusal);
        }
        return value;
    }
}
