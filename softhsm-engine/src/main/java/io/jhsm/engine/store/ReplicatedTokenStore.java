package io.jhsm.engine.store;

import io.jhsm.pkcs11.Attribute;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A token of a cluster of HSMs: reads go to this HSM's own store, every write goes through the
 * cluster's {@link Replicator} as a sealed command ({@link CommandCodec}) that every HSM applies in log
 * order ({@code ReplicatedState}), and its answer is what applying it here returned. The audit record
 * the calling thread's {@link AuditIntent} would commit with the write rides in the command, so each HSM
 * commits it with the change in its own audit stream. Audit bookkeeping and change tracking stay local.
 */
final class ReplicatedTokenStore implements TokenStore {
    private final SqliteTokenStore local;
    private final Replicator replicator;
    private final CommandCodec codec;

    ReplicatedTokenStore(SqliteTokenStore local, Replicator replicator) {
        this.local = local;
        this.replicator = replicator;
        this.codec = new CommandCodec(local.blobs());
    }

    @Override
    public Optional<TokenRecord> token() {
        return local.token();
    }

    @Override
    public List<UserRecord> users() {
        return local.users();
    }

    @Override
    public Optional<UserRecord> user(String name) {
        return local.user(name);
    }

    @Override
    public void initialize(TokenRecord token, List<UserRecord> users) {
        send(CommandKind.INITIALIZE, 0, out -> out.token(token).users(users));
    }

    @Override
    public void saveUser(UserRecord user) {
        send(CommandKind.SAVE_USER, 0, out -> out.user(user));
    }

    @Override
    public void deleteUser(String name) {
        send(CommandKind.DELETE_USER, 0, out -> out.string(name));
    }

    @Override
    public LoginAttempt beginLogin(String name, long role, int lockAfter) {
        long answer = send(CommandKind.BEGIN_LOGIN, 0, out -> out.string(name).number(role).number(lockAfter));
        return LoginAttempts.fromNumber(answer, name, role, local);
    }

    @Override
    public boolean loginFailed(String name, int lockAfter) {
        return send(CommandKind.LOGIN_FAILED, 0, out -> out.string(name).number(lockAfter)) != 0;
    }

    @Override
    public boolean loginSucceeded(String name) {
        return send(CommandKind.LOGIN_SUCCEEDED, 0, out -> out.string(name)) != 0;
    }

    @Override
    public boolean changeVerifier(String name, byte[] verifier, boolean reset) {
        return send(CommandKind.CHANGE_VERIFIER, 0, out -> out.string(name).bytes(verifier).flag(reset)) != 0;
    }

    @Override
    public long insertObject(List<Attribute> attributes) {
        return send(CommandKind.INSERT_OBJECT, AuditIntent.NEW_OBJECT, out -> out.attributes(attributes));
    }

    @Override
    public void updateObject(long id, List<Attribute> attributes) {
        send(CommandKind.UPDATE_OBJECT, id, out -> out.number(id).attributes(attributes));
    }

    @Override
    public void deleteObject(long id) {
        send(CommandKind.DELETE_OBJECT, id, out -> out.number(id));
    }

    /**
     * Replicates one write and returns its value. {@code objectId}: the object the write touches
     * ({@link AuditIntent#NEW_OBJECT}: the one it inserts, whose id the answer is; 0: none).
     */
    private long send(CommandKind kind, long objectId, Consumer<CommandWriter> body) {
        CommandWriter out = new CommandWriter();
        body.accept(out);
        AuditIntent intent = AuditIntent.current();
        Command.Audit audit = kind.carriesAuditOf(intent)
                ? new Command.Audit(intent.call(), intent.coversUsers(), intent.preview(objectId)) : null;
        if (audit == null) {
            return CommandResult.decode(replicator.replicate(codec.encode(kind, null, out.toByteArray()))).valueOrThrow();
        }
        Path database = local.databaseFile();
        LocalAuditRows.expect(database, audit.call());
        long value;
        long row;
        try {
            value = CommandResult.decode(replicator.replicate(codec.encode(kind, audit, out.toByteArray()))).valueOrThrow();
        } finally {
            row = LocalAuditRows.take(database, audit.call());
        }
        if (row != 0) {
            intent.committedThroughLog(objectId == AuditIntent.NEW_OBJECT ? value : objectId, row);
        }
        return value;
    }

    @Override
    public ObjectChanges changesSince(long generation) {
        return local.changesSince(generation);
    }

    @Override
    public List<PendingAudit> pendingAudit(long afterId) {
        return local.pendingAudit(afterId);
    }

    @Override
    public void auditWritten(long upToId) {
        local.auditWritten(upToId);
    }

    @Override
    public boolean amendAudit(long id, String record) {
        return local.amendAudit(id, record);
    }

    @Override
    public List<Long> damagedObjects() {
        return local.damagedObjects();
    }

    @Override
    public void close() {
        local.close();
    }
}
