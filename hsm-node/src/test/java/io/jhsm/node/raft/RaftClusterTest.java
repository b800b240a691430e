package io.jhsm.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.store.NotCommittedException;
import io.jhsm.node.Membership;
import io.jhsm.pkcs11.CKR;
import io.jhsm.protocol.v1.HsmEntry;
import io.jhsm.protocol.v1.HsmList;
import io.jhsm.protocol.v1.MembershipChange;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three HSMs as Raft peers in one JVM on loopback, with a list as the replicated state. */
@Timeout(120)
class RaftClusterTest {
    private static final String CLUSTER = "cluster-raft-test";

    @TempDir
    Path dir;
    private final PeerPki pki = new PeerPki();
    private final List<RaftPeerNode> running = new ArrayList<>();
    /** What the nodes log (their own lines; Ratis's are kept to errors). */
    private final java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    RaftClusterTest() throws Exception {}

    @AfterEach
    void closeEveryServer() {
        running.forEach(RaftPeerNode::close);
    }

    record Hsm(RaftPeerNode node, ListState state) {
        byte[] write(String command) {
            return node.replicator().replicate(command.getBytes(StandardCharsets.UTF_8));
        }
    }

    private List<Peer> peers(int n) throws IOException {
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            peers.add(new Peer("hsm-" + i, "127.0.0.1:" + freePort(), "127.0.0.1:" + (2222 + i)));
        }
        return peers;
    }

    private Hsm start(Peer self, RaftSettings settings) throws Exception {
        Path d = dir.resolve(self.hsmId());
        if (!d.resolve(PeerTls.KEY).toFile().exists()) {
            pki.provision(d, self.hsmId());
        }
        ListState state = new ListState();
        RaftPeerNode node = RaftPeerNode.start(d, settings.join() ? null : CLUSTER, settings, state,
                () -> NodeDescription.newBuilder().setClusterId(CLUSTER).setListen(self.clientAddress()).build(), log);
        running.add(node);
        return new Hsm(node, state);
    }

    private List<Hsm> cluster(List<Peer> peers, Duration commitTimeout) throws Exception {
        List<Hsm> hsms = new ArrayList<>();
        for (Peer p : peers) {
            int port = Integer.parseInt(p.raftAddress().substring(p.raftAddress().lastIndexOf(':') + 1));
            hsms.add(start(p, RaftSettings.member(p.hsmId(), "az-a", "127.0.0.1", port, peers)
                    .withCommitTimeout(commitTimeout).withLog(RaftSettings.SNAPSHOT_THRESHOLD, 16 * 1024)));
        }
        waitFor(() -> hsms.stream().anyMatch(h -> h.node().role().equals("LEADER")), "a leader");
        return hsms;
    }

    @Test
    void aWriteThroughOneHsmIsAppliedOnEveryHsmAndOnTheWriterBeforeItReturns() throws Exception {
        List<Hsm> hsms = cluster(peers(3), Duration.ofSeconds(10));
        Hsm follower = hsms.stream().filter(h -> !h.node().role().equals("LEADER")).findFirst().orElseThrow();

        byte[] reply = follower.write("create key 1");

        assertTrue(new String(reply, StandardCharsets.UTF_8).startsWith("applied "), "the leader's apply result comes back");
        assertEquals(List.of("create key 1"), follower.state().commands(), "applied here before replicate returned");
        for (Hsm h : hsms) {
            waitFor(() -> h.state().commands().equals(List.of("create key 1")), h.node().hsmId() + " applies it");
        }
        String lines = logged.toString(StandardCharsets.UTF_8);
        assertTrue(lines.contains(follower.node().hsmId() + ": the cluster's leader is hsm-"), lines);
        assertFalse(lines.contains("\tat "), "no stack traces: " + lines);
    }

    @Test
    void everyHsmListsEveryLiveHsmAsActiveWhicheverItAsks() throws Exception {
        List<Hsm> hsms = cluster(peers(3), Duration.ofSeconds(10));
        hsms.get(0).write("something to apply");
        for (Hsm h : hsms) {
            waitFor(() -> h.state().commands().size() == 1, h.node().hsmId() + " applies it");
        }
        for (Hsm asked : hsms) {
            HsmList list = membership(asked).list(asked.node().describe());
            assertEquals(3, list.getHsmsCount());
            assertTrue(list.getHsmsList().stream().allMatch(e -> e.getState().equals("ACTIVE")),
                    asked.node().role() + " " + asked.node().hsmId() + " lists " + list);
        }
    }

    @Test
    void withoutAMajorityAWriteFailsWithinTheCommitTimeoutAndTheStateStaysReadable() throws Exception {
        List<Hsm> hsms = cluster(peers(3), Duration.ofSeconds(2));
        Hsm survivor = hsms.get(0);
        survivor.write("before");
        hsms.get(1).node().close();
        hsms.get(2).node().close();

        long start = System.nanoTime();
        NotCommittedException e = assertThrows(NotCommittedException.class, () -> survivor.write("after"));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(CKR.FUNCTION_FAILED, e.rv());
        assertTrue(e.getMessage().contains("hsm-1: change not committed by the cluster within 2 s"), e.getMessage());
        assertTrue(e.getMessage().contains("of 3"), e.getMessage());
        assertTrue(e.getMessage().contains("the token is unchanged"), e.getMessage());
        assertTrue(tookMillis < 10_000, "bounded by the commit timeout, took " + tookMillis + " ms");
        assertEquals(List.of("before"), survivor.state().commands(), "reads still answer, without the failed write");
    }

    @Test
    void aPartitionedHsmCannotCommitButCatchesUpWhenHealed() throws Exception {
        List<Hsm> hsms = cluster(peers(3), Duration.ofSeconds(2));
        Hsm cut = hsms.get(2);
        cut.write("before");
        cut.node().partition();

        assertEquals("PARTITIONED", cut.node().role());
        // Its keys were replicated to the 3 HSMs it last knew: the key availability check must keep passing, so a
        // partitioned HSM still signs with them (issue 15: a partitioned minority keeps serving reads).
        assertEquals(3, cut.node().clusterSize(), "a partitioned HSM counts the configuration it last knew");
        NotCommittedException e = assertThrows(NotCommittedException.class, () -> cut.write("while cut"));
        assertTrue(e.getMessage().contains("partitioned"), e.getMessage());
        Hsm other = hsms.get(0);
        waitFor(() -> hasLeader(hsms.subList(0, 2)), "the majority keeps a leader");
        other.write("during the partition");
        assertEquals(List.of("before"), cut.state().commands(), "the cut HSM still answers reads with what it had");

        cut.node().heal();

        waitFor(() -> cut.state().commands().equals(List.of("before", "during the partition")), "it catches up");
        cut.write("after");
        waitFor(() -> other.state().commands().contains("after"), "its writes commit again");
    }

    private static boolean hasLeader(List<Hsm> hsms) {
        return hsms.stream().anyMatch(h -> h.node().role().equals("LEADER"));
    }

    @Test
    void aFourthHsmAddedByTheLeaderGetsTheStateBySnapshotAndADeadPeerIsRemoved() throws Exception {
        List<Peer> peers = peers(4);
        List<Hsm> hsms = cluster(peers.subList(0, 3), Duration.ofSeconds(10));
        for (int i = 0; i < 40; i++) {
            hsms.get(i % 3).write("object " + i + " " + "x".repeat(600)); // enough to close log segments
        }
        Hsm leader = hsms.stream().filter(h -> h.node().role().equals("LEADER")).findFirst().orElseThrow();
        assertTrue(leader.node().snapshot() >= 40, "the snapshot covers the writes");
        Peer fourth = peers.get(3);
        int port = Integer.parseInt(fourth.raftAddress().substring(fourth.raftAddress().lastIndexOf(':') + 1));
        Hsm joining = start(fourth, RaftSettings.joining(fourth.hsmId(), "az-a", "127.0.0.1", port)
                .withLog(RaftSettings.SNAPSHOT_THRESHOLD, 16 * 1024));
        assertEquals("INITIALIZING", joining.node().role());
        Hsm follower = hsms.stream().filter(h -> h != leader).findFirst().orElseThrow();
        MembershipChange add = MembershipChange.newBuilder().setAdd(HsmEntry.newBuilder().setHsmId(fourth.hsmId())
                .setAddress(fourth.clientAddress()).setRaftAddress(fourth.raftAddress())).build();

        Membership.MembershipRefused refused = assertThrows(Membership.MembershipRefused.class,
                () -> membership(follower).change(add, follower.node().describe()));
        assertTrue(refused.getMessage().contains("send the change to the leader " + leader.node().hsmId() + " at 127.0.0.1:"),
                refused.getMessage());

        HsmList added = membership(leader).change(add, leader.node().describe());

        assertEquals(4, added.getHsmsCount());
        waitFor(() -> joining.state().commands().size() == 40, "the new HSM has the token");
        assertEquals(1, joining.state().installs.get(), "it got the state by snapshot, not by replaying the log");
        assertEquals(leader.state().commands(), joining.state().commands());
        joining.write("after the join");
        waitFor(() -> leader.state().commands().contains("after the join"), "its write reaches the others");

        Hsm dead = follower;
        dead.node().close();
        HsmList withDead = membership(leader).list(leader.node().describe());
        assertEquals("STOPPED", withDead.getHsmsList().stream().filter(h -> h.getHsmId().equals(dead.node().hsmId()))
                .findFirst().orElseThrow().getState());
        HsmList removed = membership(leader).change(MembershipChange.newBuilder().setRemoveHsmId(dead.node().hsmId()).build(),
                leader.node().describe());
        assertEquals(3, removed.getHsmsCount());
        assertFalse(removed.getHsmsList().stream().anyMatch(h -> h.getHsmId().equals(dead.node().hsmId())));
        assertTrue(removed.getHsmsList().stream().allMatch(h -> h.getState().equals("ACTIVE")), removed.toString());
    }

    private static ClusterMembership membership(Hsm h) {
        return new ClusterMembership(h.node(), CLUSTER);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 30 s for " + what);
            }
            Thread.sleep(50);
        }
    }
}
