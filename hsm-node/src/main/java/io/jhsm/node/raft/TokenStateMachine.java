package io.jhsm.node.raft;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The token as a Raft state machine: each committed log entry is a command the engine applies
 * ({@link AppliedState#apply}); a snapshot is the token's state written by the engine (a backup of the
 * token with its applied index), which the leader sends to a new or lagging HSM — restoring the backup
 * onto the new HSM, as CloudHSM does when it adds an HSM to a cluster. Read-only queries answer this
 * HSM's own description (how the others list it).
 */
final class TokenStateMachine extends BaseStateMachine {
    /** A read-only query: this HSM's description. */
    static final String DESCRIBE = "describe";

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final AppliedState state;
    private final Supplier<byte[]> description;
    private final Consumer<String> log;
    private final Object appliedMonitor = new Object();

    TokenStateMachine(AppliedState state, Supplier<byte[]> description, Consumer<String> log) {
        this.state = state;
        this.description = description;
        this.log = log;
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId leader) {
        // the node's own one-line account of elections (Ratis's are kept to errors)
        log.accept(member.getPeerId() + ": the cluster's leader is " + (leader == null ? "unknown (election)" : leader));
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(this::catchUpWithSnapshot, IOException.class);
    }

    @Override
    public void pause() {
        // Ratis pauses the machine before it reloads it from a snapshot the leader installed
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        // after the leader installed a snapshot on this HSM (a new member, or one too far behind)
        getLifeCycle().startAndTransition(this::catchUpWithSnapshot, IOException.class);
    }

    /** Installs the latest snapshot in storage when it is ahead of the store, then starts from the store's index. */
    private void catchUpWithSnapshot() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        long applied = state.appliedIndex();
        if (snapshot != null && snapshot.getIndex() > applied) {
            File file = snapshot.getFile().getPath().toFile();
            MD5FileUtil.verifySavedMD5(file, snapshot.getFile().getFileDigest());
            state.installSnapshot(file.toPath());
            applied = state.appliedIndex();
        }
        long term = snapshot != null && snapshot.getIndex() == applied ? snapshot.getTerm() : 0;
        if (applied > getLastAppliedTermIndex().getIndex()) {
            updateLastAppliedTermIndex(term, applied);
        }
        signalApplied();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        try {
            byte[] reply = state.apply(index, entry.getStateMachineLogEntry().getLogData().toByteArray());
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
        } catch (RuntimeException e) {
            // deterministic on every HSM; the index is passed either way, or the log would stall here
            return CompletableFuture.failedFuture(e);
        } finally {
            updateLastAppliedTermIndex(entry.getTerm(), index);
            signalApplied();
        }
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        signalApplied();
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last.getIndex() <= 0) {
            return -1;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        state.writeSnapshot(file.toPath());
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        return last.getIndex();
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        if (DESCRIBE.equals(request.getContent().toStringUtf8())) {
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(description.get())));
        }
        return CompletableFuture.failedFuture(new IllegalArgumentException("unknown query"));
    }

    /** The last log index this HSM applied (commands, configuration changes and snapshots included). */
    long appliedIndex() {
        return getLastAppliedTermIndex().getIndex();
    }

    /** Waits until {@code index} is applied here, at most until {@code deadlineNanos} (System.nanoTime). */
    boolean awaitApplied(long index, long deadlineNanos) throws InterruptedException {
        synchronized (appliedMonitor) {
            while (appliedIndex() < index) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                appliedMonitor.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void signalApplied() {
        synchronized (appliedMonitor) {
            appliedMonitor.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        super.close();
        signalApplied();
    }
}
