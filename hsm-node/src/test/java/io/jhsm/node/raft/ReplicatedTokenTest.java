package io.jhsm.node.raft;

import static io.jhsm.node.raft.RaftClusterTest.freePort;
import static io.jhsm.node.raft.RaftClusterTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.Engine;
import io.jhsm.engine.config.Config;
import io.jhsm.engine.replication.ReplicatedState;
import io.jhsm.engine.store.SqliteTokenStore;
import io.jhsm.engine.store.StorageKey;
import io.jhsm.engine.store.TokenStores;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.protocol.v1.HsmEntry;
import io.jhsm.protocol.v1.MembershipChange;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's token replicated by Raft between HSMs in one JVM: each HSM's directory with the cluster
 * key, its ReplicatedState driven by its Raft peer, its engine writing through its Replicator — what
 * {@code hsm serve --peers} assembles, without the network front.
 */
@Timeout(180)
class ReplicatedTokenTest {
    private static final String CLUSTER = "cluster-token-test";
    private static final byte[] SO_PIN = "so-secret-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] USER_PIN = "user-secret-1".getBytes(StandardCharsets.UTF_8);
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;
    private final PeerPki pki = new PeerPki();
    private final List<Hsm> hsms = new ArrayList<>();
    private final List<Engine> engines = new ArrayList<>();

    ReplicatedTokenTest() throws Exception {}

    record Hsm(Path directory, Peer peer, ReplicatedState state, RaftPeerNode raft) {
        Path token() {
            return directory.resolve("slot-0");
        }
    }

    @AfterEach
    void closeEverything() {
        engines.forEach(Engine::C_Finalize);
        for (Hsm h : hsms) {
            TokenStores.stopReplicating(h.token());
            h.raft().close();
            h.state().close();
        }
    }

    private List<Peer> peers(int n) throws Exception {
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            peers.add(new Peer("hsm-" + i, "127.0.0.1:" + freePort(), "127.0.0.1:" + freePort()));
        }
        return peers;
    }

    /** What cluster up / the supervisor provision: the cluster key (hsm-1's device.key) and a peer certificate. */
    private Path provision(Peer p) throws Exception {
        Path d = dir.resolve(p.hsmId());
        Path token = d.resolve("slot-0");
        Path first = dir.resolve("hsm-1").resolve("slot-0");
        if (token.equals(first)) {
            SqliteTokenStore.open(token).close();
        } else {
            TokenStores.provision(token, first.resolve(StorageKey.FILE_NAME));
        }
        pki.provision(d, p.hsmId());
        return d;
    }

    private Hsm start(Peer p, RaftSettings settings) throws Exception {
        Path d = provision(p);
        ReplicatedState state = ReplicatedState.open(d.resolve("slot-0"));
        RaftPeerNode raft = RaftPeerNode.start(d, settings.join() ? null : CLUSTER, settings, new EngineState(state),
                () -> NodeDescription.newBuilder().setClusterId(CLUSTER).setListen(p.clientAddress()).build(), QUIET);
        TokenStores.replicateThrough(d.resolve("slot-0"), raft.replicator());
        Hsm h = new Hsm(d, p, state, raft);
        hsms.add(h);
        return h;
    }

    private List<Hsm> cluster(List<Peer> peers, Duration commitTimeout) throws Exception {
        List<Hsm> started = new ArrayList<>();
        for (Peer p : peers) {
            started.add(start(p, settings(p, peers).withCommitTimeout(commitTimeout)));
        }
        waitFor(() -> started.stream().anyMatch(h -> h.raft().role().equals("LEADER")), "a leader");
        return started;
    }

    private static RaftSettings settings(Peer p, List<Peer> peers) {
        int port = Integer.parseInt(p.raftAddress().substring(p.raftAddress().lastIndexOf(':') + 1));
        return RaftSettings.member(p.hsmId(), "az-a", "127.0.0.1", port, peers).withLog(RaftSettings.SNAPSHOT_THRESHOLD, 16 * 1024);
    }

    private Engine engine(Hsm h) {
        Engine e = new Engine(new Config(h.directory(), 1));
        e.C_Initialize(InitializeArgs.NONE);
        engines.add(e);
        return e;
    }

    private static long userSession(Engine e) {
        long s = e.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        e.C_Login(s, CKU.USER, USER_PIN);
        return s;
    }

    /** C_InitToken and the user's PIN, through {@code e}: replicated like every other write. */
    private static void initialiseToken(Engine e) {
        byte[] label = "cluster token".getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[32];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(label, 0, padded, 0, label.length);
        e.C_InitToken(0, SO_PIN, padded);
        long s = e.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        e.C_Login(s, CKU.SO, SO_PIN);
        e.C_InitPIN(s, USER_PIN);
        e.C_CloseSession(s);
    }

    private static long tokenKey(Engine e, long session, String label) {
        return e.C_CreateObject(session, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.VALUE, new byte[32]), Attribute.of(CKA.LABEL, label)));
    }

    private static String label(Engine e, long session, long handle) {
        return new String(e.C_GetAttributeValue(session, handle, new long[] {CKA.LABEL}).get(0).value(), StandardCharsets.UTF_8);
    }

    private static Hsm leader(List<Hsm> hsms) {
        return hsms.stream().filter(h -> h.raft().role().equals("LEADER")).findFirst().orElseThrow();
    }

    @Test
    void aKeyCreatedThroughOneHsmIsReadThroughAnotherWithTheSameHandle() throws Exception {
        List<Hsm> cluster = cluster(peers(3), Duration.ofSeconds(10));
        Hsm follower = cluster.stream().filter(h -> !h.raft().role().equals("LEADER")).findFirst().orElseThrow();
        Hsm other = cluster.stream().filter(h -> h != follower).findFirst().orElseThrow();
        Engine onFollower = engine(follower);
        initialiseToken(onFollower);
        long s = userSession(onFollower);

        long handle = tokenKey(onFollower, s, "shared");

        assertEquals("shared", label(onFollower, s, handle), "applied on the writing follower before C_CreateObject returned");
        Engine onOther = engine(other);
        waitFor(() -> other.raft().appliedIndex() >= follower.raft().appliedIndex(), "the other HSM applies it");
        long t = userSession(onOther);
        assertEquals("shared", label(onOther, t, handle), "the same handle on the other HSM");
    }

    @Test
    void withTwoOfThreeHsmsStoppedAWriteFailsWithFunctionFailedAndReadsStillWork() throws Exception {
        List<Hsm> cluster = cluster(peers(3), Duration.ofSeconds(2));
        Hsm survivor = cluster.get(0);
        Engine e = engine(survivor);
        initialiseToken(e);
        long s = userSession(e);
        long handle = tokenKey(e, s, "before");
        cluster.get(1).raft().close();
        cluster.get(2).raft().close();

        long start = System.nanoTime();
        CkException refused = assertThrows(CkException.class, () -> tokenKey(e, s, "after"));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(CKR.FUNCTION_FAILED, refused.rv());
        assertTrue(tookMillis < 10_000, "bounded by the 2 s commit timeout, took " + tookMillis + " ms");
        assertEquals("before", label(e, s, handle), "reads never go through Raft");
        long[] found = find(e, s);
        assertEquals(1, found.length, "the failed write left the token unchanged");
    }

    private static long[] find(Engine e, long s) {
        e.C_FindObjectsInit(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY)));
        long[] found = e.C_FindObjects(s, 10);
        e.C_FindObjectsFinal(s);
        return found;
    }

    @Test
    void aNewHsmAddedToTheClusterGetsTheTokenBySnapshotAndServesItAndTheDeadPeerIsRemoved() throws Exception {
        List<Peer> peers = peers(4);
        List<Hsm> cluster = cluster(peers.subList(0, 3), Duration.ofSeconds(10));
        Engine e = engine(cluster.get(0));
        initialiseToken(e);
        long s = userSession(e);
        List<Long> handles = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            handles.add(tokenKey(e, s, "key " + i + " " + "x".repeat(900))); // enough to close log segments
        }
        Hsm leader = leader(cluster);
        assertTrue(leader.raft().snapshot() > 0);
        Peer fourth = peers.get(3);
        int port = Integer.parseInt(fourth.raftAddress().substring(fourth.raftAddress().lastIndexOf(':') + 1));
        Hsm joining = start(fourth, RaftSettings.joining(fourth.hsmId(), "az-b", "127.0.0.1", port)
                .withLog(RaftSettings.SNAPSHOT_THRESHOLD, 16 * 1024));

        new ClusterMembership(leader.raft(), CLUSTER).change(MembershipChange.newBuilder().setAdd(HsmEntry.newBuilder()
                .setHsmId(fourth.hsmId()).setAddress(fourth.clientAddress()).setRaftAddress(fourth.raftAddress())).build(),
                leader.raft().describe());

        waitFor(() -> joining.raft().appliedIndex() >= leader.raft().appliedIndex(), "the new HSM catches up");
        try (var files = java.nio.file.Files.walk(joining.directory().resolve("raft"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("snapshot.")), "it received the leader's snapshot");
        }
        Engine onNew = engine(joining);
        long t = userSession(onNew);
        for (int i = 0; i < handles.size(); i++) {
            assertTrue(label(onNew, t, handles.get(i)).startsWith("key " + i + " "), "key " + i + " under its handle");
        }
        long created = tokenKey(onNew, t, "made on the new HSM");
        // e's HSM (cluster.get(0)) need not be the leader: wait for the HSM the label is read through
        waitFor(() -> cluster.get(0).raft().appliedIndex() >= joining.raft().appliedIndex(), "the first HSM has it");
        assertEquals("made on the new HSM", label(e, s, created));

        Hsm dead = cluster.stream().filter(h -> h != leader && h != cluster.get(0)).findFirst()
                .orElse(cluster.stream().filter(h -> h != leader).findFirst().orElseThrow());
        dead.raft().close();
        var after = new ClusterMembership(leader.raft(), CLUSTER).change(
                MembershipChange.newBuilder().setRemoveHsmId(dead.peer().hsmId()).build(), leader.raft().describe());
        assertEquals(3, after.getHsmsCount());
        assertArrayEquals(new String[] {"ACTIVE", "ACTIVE", "ACTIVE"},
                after.getHsmsList().stream().map(HsmEntry::getState).toArray(String[]::new), after.toString());
    }
}
