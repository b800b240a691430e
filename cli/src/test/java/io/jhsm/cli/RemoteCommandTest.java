package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.jhsm.engine.config.Config;
import io.jhsm.node.ManagementEndpoint;
import io.jhsm.protocol.v1.NodeDescription;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jhsm commands in network mode: forwarded to a node on loopback (its Management endpoint running the
 * CLI's own runner over the node's directory), files shipped both ways, output and status reproduced.
 * The channel is plaintext here; TLS is the node's business (HsmNode/HsmChannels tests).
 */
class RemoteCommandTest {
    @TempDir
    Path client;
    @TempDir
    Path node;
    Server server;
    CliFixture cli;

    @BeforeEach
    void startNode() throws Exception {
        ManagementEndpoint management = new ManagementEndpoint(new Config(node, 1), Main::run,
                () -> NodeDescription.newBuilder().setHsmId("hsm-test").build());
        var builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
        management.services().forEach(builder::addService);
        server = builder.build().start();
        Files.writeString(client.resolve("client.conf"), "hsms = 127.0.0.1:" + server.getPort() + "\nhsm-ca-cert = customerCA.crt\n");
        cli = new CliFixture(client);
        cli.env.clear();
        cli.env.put("JHSM_CONF", client.resolve("client.conf").toString());
        int port = server.getPort();
        cli.channels = config -> NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterEach
    void stopNode() throws Exception {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void theCloudHsmInitializationRunsOnTheNodeWithTheCsrAndCertificatesShippedBetween() throws Exception {
        String id = cli.activeCluster(0, "Admin-pass-1");
        // The CSR came back to the client's directory; the cluster lives in the node's.
        assertTrue(Files.exists(client.resolve(id + "_ClusterCsr.csr")));
        assertTrue(Files.exists(node.resolve("slot-0/hsm-identity.key")));
        assertFalse(Files.exists(client.resolve("data")), "nothing of the HSM is created on the client");
        assertEquals("ACTIVE", cli.ok("cluster", "info", "--json").data().get("state"));
    }

    /** cluster info through the node shows the node token's profile; set-profile is forwarded like any command. */
    @Test
    void theNodesProfileIsShownAndChosenThroughTheNetwork() throws Exception {
        cli.activeCluster(0, "Admin-pass-1");
        Map<String, Object> info = cli.ok("cluster", "info", "--json").data();
        assertEquals("cloudhsm", info.get("profile"), "a cluster is cloudhsm until the admin chooses");
        assertEquals("cloudhsm", info.get("effective-profile"));
        cli.ok("hsm", "set-profile", "pkcs11", "--login", "admin:Admin-pass-1", "--login-role", "admin");
        assertEquals("pkcs11", cli.ok("cluster", "info", "--json").data().get("profile"));
        assertEquals("pkcs11\n", Files.readString(node.resolve("slot-0/profile")), "the choice lives in the node's token");
    }

    @Test
    void usersAndKeysAreManagedOnTheNode() throws Exception {
        cli.activeCluster(0, "Admin-pass-1");
        String[] admin = {"--login", "admin:Admin-pass-1", "--login-role", "admin"};
        cli.ok(concat(new String[] {"user", "create", "--username", "alice", "--role", "crypto-user", "--password", "alice-pass-1"}, admin));
        String users = cli.ok(concat(new String[] {"user", "list", "--json"}, admin)).out();
        assertTrue(users.contains("\"alice\""), users);

        cli.env.put("CLOUDHSM_PIN", "alice:alice-pass-1");
        cli.ok("key", "generate-symmetric", "aes", "--key-length-bytes", "32", "--label", "kek",
                "--attributes", "wrap=true,unwrap=true,encrypt=false,decrypt=false");
        cli.ok("key", "generate-symmetric", "aes", "--key-length-bytes", "32", "--label", "payload", "--attributes", "extractable=true");
        String keys = cli.ok("key", "list", "--json").out();
        assertTrue(keys.contains("kek") && keys.contains("payload"), keys);

        // A wrong password is refused by the node with the status the local CLI gives.
        cli.env.put("CLOUDHSM_PIN", "alice:wrong-pass-1");
        cli.fails(3, "key", "list");
    }

    @Test
    void keyWrapWritesTheWrappedKeyOnTheClientUnderThePathTyped() throws Exception {
        cli.activeCluster(0, "Admin-pass-1");
        cli.ok("user", "create", "--username", "alice", "--role", "crypto-user", "--password", "alice-pass-1",
                "--login", "admin:Admin-pass-1", "--login-role", "admin");
        cli.env.put("CLOUDHSM_PIN", "alice:alice-pass-1");
        cli.ok("key", "generate-symmetric", "aes", "--key-length-bytes", "32", "--label", "kek",
                "--attributes", "wrap=true,unwrap=true,encrypt=false,decrypt=false");
        cli.ok("key", "generate-symmetric", "aes", "--key-length-bytes", "16", "--label", "payload", "--attributes", "extractable=true");
        Path blob = client.resolve("out/payload.wrapped");
        Files.createDirectories(blob.getParent());
        CliFixture.Result wrapped = cli.ok("key", "wrap", "--key", "attr.label=payload", "--wrapping-key", "attr.label=kek",
                "--mechanism", "aes-no-pad", "--path=" + blob, "--json");
        assertEquals(24L, ((Number) wrapped.data().get("bytes")).longValue());
        assertEquals(blob.toString(), wrapped.data().get("path"), "the output names the client's path, not the node's");
        assertEquals(24, Files.size(blob));
        // ... and the file goes back as an input: unwrapped on the node into a new key.
        cli.ok("key", "unwrap", "--unwrapping-key", "attr.label=kek", "--mechanism", "aes-no-pad", "--path", blob.toString(),
                "--key-type-class", "aes", "--label", "payload-copy");
        // A missing input is reported under the client's path.
        String err = cli.fails(2, "key", "unwrap", "--unwrapping-key", "attr.label=kek", "--mechanism", "aes-no-pad",
                "--path", client.resolve("missing.bin").toString(), "--key-type-class", "aes", "--label", "x").err();
        assertTrue(err.contains(client.resolve("missing.bin").toString()), err);
    }

    @Test
    void backupsAndTheAuditLogAreTheNodes() throws Exception {
        cli.activeCluster(0, "Admin-pass-1");
        String[] admin = {"--login", "admin:Admin-pass-1", "--login-role", "admin"};
        cli.ok(concat(new String[] {"backup", "create"}, admin));
        String list = cli.ok("backup", "list", "--json").out();
        assertTrue(list.contains("backup-id"), list);
        assertTrue(Files.isDirectory(node.resolve("backups")), "backups land beside the node's tokens");
        Map<String, Object> verified = cli.ok("audit", "verify", "--json").data();
        assertEquals("intact", verified.get("chain"));
        assertTrue(((String) verified.get("log")).startsWith(node.toString()), "the node's audit log: " + verified.get("log"));
    }

    @Test
    void commandsLocalByNatureAreNotForwardedAndTheNodeRefusesThem() {
        server.shutdownNow(); // none of these needs the node
        assertTrue(cli.ok("version").out().startsWith("jhsm "));
        assertTrue(cli.ok("cluster", "status", "--dir", client.resolve("no-nodes").toString(), "--json").out().contains("\"hsms\":[]"));
        for (List<String> local : List.of(List.of("cluster", "status", "--dir", "x"), List.of("cluster", "down", "--dir", "x"),
                List.of("conformance", "--module", "x"))) {
            var err = new java.io.ByteArrayOutputStream();
            int status = Main.run(local, Map.of(), node, new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true),
                    new java.io.PrintStream(err, true));
            assertEquals(2, status, local.toString());
            assertTrue(err.toString().contains("runs where you type it"), err.toString());
        }
    }

    @Test
    void theNodeKeepsPathsInsideTheCommandsDirectory() throws Exception {
        Path outside = client.resolve("elsewhere.token");
        var err = new java.io.ByteArrayOutputStream();
        int status = Main.run(List.of("quorum", "token-sign", "add-approval", "--token", outside.toString(), "--username", "x",
                "--signature", "../sig"), Map.of(), node, new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true),
                new java.io.PrintStream(err, true));
        assertEquals(2, status, err.toString());
        assertTrue(err.toString().contains("outside the command's directory"), err.toString());
    }

    @Test
    void anUnreachableNodeIsOneClearLineNotAHang() throws Exception {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        CliFixture.Result r = cli.fails(1, "user", "list", "--login", "admin:x");
        assertTrue(r.err().contains("HSM 127.0.0.1:") && r.err().contains("UNAVAILABLE"), r.err());
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
