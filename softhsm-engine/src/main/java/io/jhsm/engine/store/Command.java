package io.jhsm.engine.store;

/**
 * One replicated command, opened: its kind, the calling HSM's audit record for it (null when the write
 * carries none) and its body in clear (only ever in memory: on the wire and in the log it is sealed).
 */
public record Command(CommandKind kind, Audit audit, byte[] body) {

    /**
     * The record the calling HSM's call would commit with this write ({@link AuditIntent#NEW_OBJECT} for
     * the id the write assigns), the call it belongs to (a call may make several writes), and whether it
     * covers user writes.
     */
    record Audit(long call, boolean coversUsers, String record) {}

    /** The settings change a {@link CommandKind#SETTINGS} command carries. */
    public SettingsDiff settings() {
        if (kind != CommandKind.SETTINGS) {
            throw new IllegalStateException(kind + " is not a settings change");
        }
        return SettingsDiff.read(new CommandReader(body));
    }
}
