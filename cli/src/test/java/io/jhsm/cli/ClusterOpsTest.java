package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.protocol.v1.FaultRequest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local cluster's bookkeeping and command lines: cluster.json, the peer CA, provisioning, and what the commands refuse. */
class ClusterOpsTest {
    @TempDir
    Path dir;

    private static ClusterFile.Member member(String id, String dirName, int port) {
        return new ClusterFile.Member(id, "az-a", dirName, "127.0.0.1:" + port, "127.0.0.1:" + (port + 1000),
                "127.0.0.1:" + (port + 2000), 4242, ClusterFile.MEMBER, null);
    }

    @Test
    void clusterJsonKeepsEveryHsmAndAnUpdateChangesOnlyItsOwn() {
        ClusterFile.update(dir, c -> new ClusterFile("cluster-abc", List.of(member("hsm-00000001", "hsm-1", 2223),
                member("hsm-00000002", "hsm-2", 2224))));
        ClusterFile.update(dir, c -> c.with(c.member("hsm-00000001").withStatus(ClusterFile.REPLACED, "hsm-00000003")));
        ClusterFile read = ClusterFile.read(dir);
        assertEquals("cluster-abc", read.clusterId());
        assertEquals(List.of("hsm-00000002"), read.members().stream().map(ClusterFile.Member::hsmId).toList());
        assertEquals("hsm-00000003", read.find("hsm-00000001").orElseThrow().replacedBy());
        assertEquals(4242, read.find("hsm-00000002").orElseThrow().pid());
        assertEquals("hsm-00000002=127.0.0.1:3224=127.0.0.1:2224", read.peers(), "hsm serve --peers: ID=RAFT=CLIENT");
    }

    @Test
    void anUnknownHsmIdIsRefusedNamingTheClustersHsms() {
        ClusterFile.update(dir, c -> new ClusterFile("cluster-abc", List.of(member("hsm-00000001", "hsm-1", 2223))));
        HsmException e = assertThrows(HsmException.class, () -> ClusterFile.read(dir).member("hsm-nope"));
        assertTrue(e.getMessage().contains("hsm-00000001"), e.getMessage());
    }

    @Test
    void newHsmsGetFreshIdsRoundRobinAzsAndDistinctPorts() {
        Set<Integer> taken = new HashSet<>();
        ClusterFile empty = new ClusterFile("cluster-abc", List.of());
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (int k = 1; k <= 4; k++) {
            ClusterFile.Member m = LocalCluster.plan(dir, k, LocalCluster.az(k), empty, taken);
            assertTrue(m.hsmId().matches("hsm-[0-9a-f]{8}"), m.hsmId());
            assertEquals("hsm-" + k, m.dir());
            ids.add(m.hsmId());
            addresses.addAll(List.of(m.address(), m.raftAddress(), m.metricsAddress()));
        }
        assertEquals(4, ids.size());
        assertEquals(12, addresses.size(), "no two ports alike: " + addresses);
        assertEquals(List.of("az-a", "az-b", "az-c", "az-a"), List.of(LocalCluster.az(1), LocalCluster.az(2), LocalCluster.az(3), LocalCluster.az(4)));
    }

    @Test
    void aPeerCertificateIsIssuedByTheClustersPeerCaForLoopbackAndItsKeyIsOwnerOnly() throws Exception {
        PeerCa.create(dir, "cluster-abc");
        Path node = dir.resolve("hsm-1");
        PeerCa.load(dir).issue(node, "hsm-0000abcd");
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) f.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(PeerCa.CERTIFICATE))));
        X509Certificate peer = (X509Certificate) f.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(node.resolve(PeerCa.PEER_CERTIFICATE))));
        peer.verify(ca.getPublicKey());
        assertTrue(peer.getSubjectX500Principal().getName().contains("hsm-0000abcd"));
        assertTrue(peer.getSubjectAlternativeNames().stream().anyMatch(n -> "127.0.0.1".equals(n.get(1))), "names the loopback host the peers dial");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(node.resolve(PeerCa.PEER_KEY))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(PeerCa.KEY))));
    }

    @Test
    void aJoiningHsmGetsTheClusterKeyAndIdentityKeyOwnerOnlyBesideANewEmptyToken() throws Exception {
        Path first = dir.resolve("hsm-1");
        LocalCluster.createCluster(first);
        Path joining = dir.resolve("hsm-2");
        LocalCluster.provisionJoining(dir, first, joining); // no DIR/initial: a cluster made before it was kept
        for (String secret : List.of("device.key", "hsm-identity.key")) {
            assertEquals(-1, Files.mismatch(first.resolve("slot-0").resolve(secret), joining.resolve("slot-0").resolve(secret)), secret);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(joining.resolve("slot-0").resolve(secret))));
        }
        try (io.jhsm.engine.store.SqliteTokenStore store = io.jhsm.engine.store.SqliteTokenStore.open(joining.resolve("slot-0"))) {
            assertTrue(store.token().isEmpty(), "its state comes from the leader's snapshot, not the copy");
        }
    }

    @Test
    void aJoiningHsmStartsFromTheClustersFirstStateWhichTheRaftLogBuildsOn() throws Exception {
        Path first = dir.resolve("hsm-1");
        LocalCluster.createCluster(first);
        LocalCluster.keepInitialState(dir, first);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(LocalCluster.INITIAL))));
        Path joining = dir.resolve("hsm-2");
        LocalCluster.provisionJoining(dir, first, joining);
        for (String file : List.of("device.key", "hsm-identity.key", "cloudhsm.properties", "token.db")) {
            assertTrue(Files.exists(joining.resolve("slot-0").resolve(file)), file);
        }
        assertEquals(-1, Files.mismatch(first.resolve("slot-0/cloudhsm.properties"), joining.resolve("slot-0/cloudhsm.properties")),
                "the cluster's identity and state, which are not in the Raft log");
    }

    @Test
    void faultRequestsCarryTheirValues() {
        assertEquals(0.5, ClusterOpsCommands.Fault.request(ClusterOpsCommands.FaultAction.throttle, 0.5, null).getThrottleRate());
        assertEquals(250, ClusterOpsCommands.Fault.request(ClusterOpsCommands.FaultAction.latency, null, 250).getLatencyMs());
        assertEquals(FaultRequest.FaultCase.CLEAR, ClusterOpsCommands.Fault.request(ClusterOpsCommands.FaultAction.clear, null, null).getFaultCase());
    }

    @Test
    void theCommandsRefuseWhatTheyCannotDo() throws Exception {
        CliFixture cli = new CliFixture(dir);
        ClusterFile.update(dir, c -> new ClusterFile("cluster-abc", List.of(member("hsm-00000001", "hsm-1", 2223))));
        CliFixture.Result noRate = cli.run("cluster", "fault", "--dir", dir.toString(), "--hsm-id", "hsm-00000001", "throttle");
        assertNotEquals(0, noRate.status());
        assertTrue(noRate.err().contains("--rate goes with throttle"), noRate.err());
        CliFixture.Result unknown = cli.run("cluster", "fault", "--dir", dir.toString(), "--hsm-id", "hsm-nope", "clear");
        assertNotEquals(0, unknown.status());
        assertTrue(unknown.err().contains("no HSM hsm-nope"), unknown.err());
        CliFixture.Result tooMany = cli.run("cluster", "up", "--hsms", "29", "--dir", dir.resolve("c").toString());
        assertNotEquals(0, tooMany.status());
        assertTrue(tooMany.err().contains("1 to 28"), tooMany.err());
        CliFixture.Result noCluster = cli.run("cluster", "metrics", "--dir", dir.resolve("none").toString());
        assertNotEquals(0, noCluster.status());
        assertTrue(noCluster.err().contains("no cluster in") && noCluster.err().contains("cluster up"), noCluster.err());
    }
}
