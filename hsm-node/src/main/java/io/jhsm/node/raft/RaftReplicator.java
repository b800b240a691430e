package io.jhsm.node.raft;

import io.jhsm.engine.store.NotCommittedException;
import io.jhsm.engine.store.Replicator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The engine's writes through Raft: the command goes to the leader, is committed on a majority of the
 * HSMs, and the leader's apply result comes back with the entry's log index; the write returns once this
 * HSM has applied that index too, so the caller's next read here sees it. All of it within the commit
 * timeout, else {@link NotCommittedException} (CKR_FUNCTION_FAILED) with one line saying why.
 */
final class RaftReplicator implements Replicator {
    private final RaftPeerNode node;

    RaftReplicator(RaftPeerNode node) {
        this.node = node;
    }

    @Override
    public byte[] replicate(byte[] command) {
        long timeoutMillis = node.commitTimeout().toMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        RaftServer.Division division = node.division();
        if (division == null) {
            throw notCommitted(node.partitioned() ? "this HSM is partitioned from its peers" : "this HSM is not yet a member of its cluster");
        }
        RaftGroup group = division.getGroup();
        CompletableFuture<RaftClientReply> sent = node.clients().writer(group, timeoutMillis)
                .async().send(Message.valueOf(ByteString.copyFrom(command)));
        RaftClientReply reply;
        try {
            reply = sent.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw notCommitted(reachability());
        } catch (ExecutionException e) {
            throw notCommitted(reachability() + "; " + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notCommitted("interrupted while waiting");
        }
        if (!reply.isSuccess()) {
            if (reply.getStateMachineException() != null) {
                // committed, but applying it failed (the same on every HSM): not a cluster problem
                throw new IllegalStateException(node.hsmId() + ": the cluster committed a change it could not apply: "
                        + rootMessage(reply.getStateMachineException()) + " (report this with the nodes' logs)");
            }
            throw notCommitted(reachability() + "; " + reply.getException());
        }
        try {
            if (!node.machine().awaitApplied(reply.getLogIndex(), deadline)) {
                throw new NotCommittedException(node.hsmId() + ": change committed by the cluster (log index "
                        + reply.getLogIndex() + ") but not applied on this HSM within " + timeoutMillis / 1000
                        + " s; its other HSMs have it; this HSM applies it when it catches up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notCommitted("interrupted while waiting for this HSM to apply it");
        }
        return reply.getMessage().getContent().toByteArray();
    }

    private NotCommittedException notCommitted(String why) {
        return new NotCommittedException(node.hsmId() + ": change not committed by the cluster within "
                + node.commitTimeout().toSeconds() + " s (" + why + "); the token is unchanged; retry when the cluster has a majority");
    }

    /** How many HSMs this one reaches, as far as it can tell. */
    private String reachability() {
        int size = node.clusterSize();
        int reachable = node.reachablePeers();
        return "no majority of HSMs reachable: " + reachable + " of " + size;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }
}
