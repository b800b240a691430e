package io.jhsm.node.raft;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

/**
 * The Raft clients this HSM uses (over the same mutual TLS as its server): one that sends the token's
 * writes to the leader, retrying while a leader is being elected, one that asks a single peer for its
 * description without retrying, and short-lived ones for membership changes and snapshots. The writer
 * and the query client follow the group's configuration: a change of members builds them anew.
 */
final class RaftClients implements AutoCloseable {
    /** Retries of a write while there is no leader: 100 ms apart, within the commit timeout the caller bounds. */
    private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);
    /** A description query may finish after ListHsms stopped waiting (it opens the peer's channel for the next one). */
    private static final TimeDuration QUERY_TIMEOUT = TimeDuration.valueOf(5, TimeUnit.SECONDS);
    private static final TimeDuration ADMIN_TIMEOUT = TimeDuration.valueOf(30, TimeUnit.SECONDS);

    private final RaftProperties serverProperties;
    private final Parameters parameters;
    private Cached writer;
    private Cached query;

    private record Cached(RaftGroup group, RaftClient client) {}

    RaftClients(RaftProperties serverProperties, GrpcTlsConfig tls) {
        this.serverProperties = serverProperties;
        this.parameters = new Parameters();
        GrpcConfigKeys.Client.setTlsConf(parameters, tls);
        GrpcConfigKeys.Admin.setTlsConf(parameters, tls);
    }

    synchronized RaftClient writer(RaftGroup group, long commitTimeoutMillis) {
        if (writer == null || !writer.group().equals(group)) {
            closeQuietly(writer);
            int attempts = (int) Math.max(1, commitTimeoutMillis / RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS));
            writer = new Cached(group, build(group, RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts, RETRY_SLEEP),
                    TimeDuration.valueOf(commitTimeoutMillis, TimeUnit.MILLISECONDS)));
        }
        return writer.client();
    }

    synchronized RaftClient query(RaftGroup group) {
        if (query == null || !query.group().equals(group)) {
            closeQuietly(query);
            query = new Cached(group, build(group, RetryPolicies.noRetry(), QUERY_TIMEOUT));
        }
        return query.client();
    }

    /** A client for one administrative call (membership, group, snapshot); the caller closes it. */
    RaftClient admin(RaftGroup group) {
        return build(group, RetryPolicies.retryUpToMaximumCountWithFixedSleep(50, RETRY_SLEEP), ADMIN_TIMEOUT);
    }

    long snapshot(RaftGroup group, RaftPeerId self) throws IOException {
        try (RaftClient c = admin(group)) {
            RaftClientReply reply = c.getSnapshotManagementApi(self).create(1, ADMIN_TIMEOUT.toLong(TimeUnit.MILLISECONDS));
            if (!reply.isSuccess()) {
                throw new IOException("the snapshot failed: " + reply.getException());
            }
            return reply.getLogIndex();
        }
    }

    private RaftClient build(RaftGroup group, RetryPolicy retry, TimeDuration requestTimeout) {
        RaftProperties p = new RaftProperties(serverProperties);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, requestTimeout);
        return RaftClient.newBuilder().setRaftGroup(group).setProperties(p).setParameters(parameters)
                .setRetryPolicy(retry).build();
    }

    private static void closeQuietly(Cached c) {
        if (c != null) {
            try {
                c.client().close();
            } catch (IOException e) {
                // a client being replaced: nothing in flight depends on it
            }
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(writer);
        closeQuietly(query);
        writer = null;
        query = null;
    }
}
