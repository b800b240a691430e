package io.jhsm.engine.store;

/**
 * The kinds of replicated command: one per durable write of a token (each TokenStore write, and a
 * settings change), with how an applying HSM runs it against its own store. The value an applier returns
 * is the write's answer as a number (an object id, a boolean as 1/0, a login attempt, see
 * {@link LoginAttempts}); the code is the kind's byte in the command and part of its sealing's AAD.
 */
public enum CommandKind {
    INITIALIZE(1, Audited.ALWAYS, (store, in) -> {
        store.initialize(in.token(), in.users());
        return 0;
    }),
    SAVE_USER(2, Audited.IF_USERS, (store, in) -> {
        store.saveUser(in.user());
        return 0;
    }),
    DELETE_USER(3, Audited.IF_USERS, (store, in) -> {
        store.deleteUser(in.string());
        return 0;
    }),
    BEGIN_LOGIN(4, Audited.NEVER, (store, in) -> LoginAttempts.toNumber(store.beginLogin(in.string(), in.number(), in.smallNumber()))),
    LOGIN_FAILED(5, Audited.NEVER, (store, in) -> bit(store.loginFailed(in.string(), in.smallNumber()))),
    LOGIN_SUCCEEDED(6, Audited.NEVER, (store, in) -> bit(store.loginSucceeded(in.string()))),
    CHANGE_VERIFIER(7, Audited.NEVER, (store, in) -> bit(store.changeVerifier(in.string(), in.bytes(), in.flag()))),
    INSERT_OBJECT(8, Audited.ALWAYS, (store, in) -> store.insertObject(in.attributes())),
    UPDATE_OBJECT(9, Audited.ALWAYS, (store, in) -> {
        store.updateObject(in.number(), in.attributes());
        return 0;
    }),
    DELETE_OBJECT(10, Audited.ALWAYS, (store, in) -> {
        store.deleteObject(in.number());
        return 0;
    }),
    /** A change to a settings file ({@link SettingsDiff}); applied by the replication package, not to token.db. */
    SETTINGS(11, Audited.NEVER, null);

    /** Whether a write of this kind commits the calling thread's audit record (as SqliteTokenStore's writes do). */
    enum Audited {
        ALWAYS,
        /** Only when the call's change covers users (a PIN change is the change; a login count is not). */
        IF_USERS,
        NEVER
    }

    @FunctionalInterface
    interface Applier {
        long apply(TokenStore store, CommandReader in);
    }

    private static final CommandKind[] BY_CODE = new CommandKind[12];

    static {
        for (CommandKind k : values()) {
            BY_CODE[k.code] = k;
        }
    }

    final int code;
    final Audited audited;
    final Applier applier;

    CommandKind(int code, Audited audited, Applier applier) {
        this.code = code;
        this.audited = audited;
        this.applier = applier;
    }

    static CommandKind of(int code) {
        CommandKind k = code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (k == null) {
            throw new IllegalArgumentException("unknown replicated command kind " + code
                    + ": this HSM runs an older jhsm than the one that wrote it; upgrade every HSM of the cluster");
        }
        return k;
    }

    boolean carriesAuditOf(AuditIntent intent) {
        return intent != null && (audited == Audited.ALWAYS || audited == Audited.IF_USERS && intent.coversUsers());
    }

    private static long bit(boolean b) {
        return b ? 1 : 0;
    }
}
