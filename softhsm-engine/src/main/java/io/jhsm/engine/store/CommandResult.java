package io.jhsm.engine.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What applying a command answered, the same on every HSM (they apply the same commands in the same
 * order): the write's value (see {@link CommandKind}), or the refusal the write met (an unknown object id).
 * Format: {@code version(1) | value(8) | refusal (UTF-8, empty: none)}.
 */
record CommandResult(long value, String refusal) {
    /** The answer of a settings change, and of an entry applied before (a replay after a restart). */
    static final CommandResult NOTHING = new CommandResult(0, "");
    private static final int FIXED = 9;

    byte[] encode() {
        byte[] r = refusal.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(FIXED + r.length).put((byte) CommandCodec.VERSION).putLong(value).put(r).array();
    }

    static CommandResult decode(byte[] bytes) {
        if (bytes == null || bytes.length < FIXED || bytes[0] != CommandCodec.VERSION) {
            throw new TokenStoreException("the cluster answered a replicated write with "
                    + (bytes == null ? "nothing" : bytes.length + " bytes") + ", not a result this jhsm reads;"
                    + " run the same jhsm on every HSM of the cluster");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.get();
        return new CommandResult(in.getLong(), new String(bytes, FIXED, bytes.length - FIXED, StandardCharsets.UTF_8));
    }

    /** The value, after rethrowing a refusal as the IllegalArgumentException the local store throws. */
    long valueOrThrow() {
        if (!refusal.isEmpty()) {
            throw new IllegalArgumentException(refusal);
        }
        return value;
    }
}
