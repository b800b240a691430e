package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.client.ClientConfig;
import io.jhsm.client.HsmChannels;
import io.jhsm.client.RemoteCryptoki;
import io.jhsm.engine.Engine;
import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.Quorum;
import io.jhsm.engine.cloudhsm.Role;
import io.jhsm.engine.config.Config;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jhsm hsm serve} as systemd runs it: a child JVM in the foreground that creates its cluster, says where it
 * serves, carries PKCS#11 over TLS once the cluster is initialized, and on SIGTERM stops cleanly with status 0,
 * every committed write kept.
 */
class HsmServeTest {
    private static final Pattern SERVING = Pattern.compile("jhsm hsm: serving (\\S+) on 127\\.0\\.0\\.1:(\\d+) \\(cluster (cluster-[0-9a-f]+), state UNINITIALIZED\\)");

    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheNodeWithStatusZeroAndTheCommittedObjectStays() throws Exception {
        Path nodeDir = dir.resolve("node");
        Path log = dir.resolve("serve.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "hsm", "serve", "--dir", nodeDir.toString(), "--listen", "127.0.0.1:0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Matcher serving = awaitLine(p, log, SERVING);
            int port = Integer.parseInt(serving.group(2));
            assertTrue(Files.exists(nodeDir.resolve("hsm-bootstrap.crt")));

            Path anchor = initializeWithACrypoUser(nodeDir.resolve("slot-0"));
            ClientConfig.HostAndPort at = new ClientConfig.HostAndPort("127.0.0.1", port);
            ClientConfig config = new ClientConfig(List.of(at), anchor, null, null, Duration.ofSeconds(20), Duration.ofSeconds(20))
                    .withKeyAvailabilityCheck(false); // a one-HSM cluster, as cluster up --hsms 1 sets
            Cryptoki remote = new RemoteCryptoki(config, hsm -> HsmChannels.open(config, hsm));
            remote.C_Initialize(InitializeArgs.NONE);
            long s = remote.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
            remote.C_Login(s, CKU.USER, "alice:alice-pass1".getBytes(StandardCharsets.UTF_8));
            long object = remote.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.DATA), Attribute.of(CKA.TOKEN, true),
                    Attribute.of(CKA.LABEL, "kept"), Attribute.of(CKA.VALUE, new byte[] {1, 2, 3})));
            assertTrue(object != 0);

            p.destroy(); // SIGTERM, with this application still connected
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the node stopped within 60 s");
            String out = Files.readString(log);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("jhsm hsm: SIGTERM: stopping") && out.contains("jhsm hsm: stopped"), out);
            remote.C_Finalize();

            Engine local = new Engine(new Config(nodeDir, 1));
            local.C_Initialize(InitializeArgs.NONE);
            try {
                long ls = local.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
                local.C_Login(ls, CKU.USER, "alice:alice-pass1".getBytes(StandardCharsets.UTF_8));
                local.C_FindObjectsInit(ls, List.of(Attribute.of(CKA.LABEL, "kept")));
                long[] found = local.C_FindObjects(ls, 10);
                local.C_FindObjectsFinal(ls);
                assertEquals(1, found.length, "the object created through the node is in the store");
                assertArrayEquals(new byte[] {1, 2, 3}, local.C_GetAttributeValue(ls, found[0], new long[] {CKA.VALUE}).get(0).value());
            } finally {
                local.C_Finalize();
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBusyPortOrADirectoryHoldingAPlainTokenIsRefusedInOneLine() throws Exception {
        CliFixture cli = new CliFixture(dir);
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliFixture.Result r = cli.fails(2, "hsm", "serve", "--dir", dir.resolve("a").toString(), "--listen",
                    "127.0.0.1:" + busy.getLocalPort());
            assertTrue(r.err().contains("jhsm: cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": Address already in use"), r.err());
        }
        Engine plain = new Engine(new Config(dir.resolve("b"), 1));
        plain.C_Initialize(InitializeArgs.NONE);
        plain.C_InitToken(0, "so-pin-1234".getBytes(StandardCharsets.UTF_8), "plain token".getBytes(StandardCharsets.UTF_8));
        plain.C_Finalize();
        CliFixture.Result r = cli.fails(6, "hsm", "serve", "--dir", dir.resolve("b").toString(), "--listen", "127.0.0.1:0");
        assertTrue(r.err().contains("holds a token that is not a CloudHSM cluster"), r.err());
        cli.fails(2, "hsm", "serve", "--dir", dir.resolve("c").toString(), "--listen", "127.0.0.1:99999");
    }

    /** The owner's steps on the node's directory: CSR signed by a new CA, initialize, activate, a crypto user; returns the CA file. */
    private Path initializeWithACrypoUser(Path slot) throws Exception {
        CustomerCa ca = CustomerCa.create("customer CA");
        Path anchor = Files.writeString(dir.resolve("customerCA.crt"), ca.certificatePem());
        try (CloudHsm hsm = CloudHsm.open(slot)) {
            hsm.cluster().initialize(ca.sign(hsm.cluster().csr()), ca.certificatePem());
            hsm.cluster().activate("Admin-pass-1");
            hsm.login("admin", Role.ADMIN, "Admin-pass-1");
            hsm.users().create("alice", Role.CRYPTO_USER, "alice-pass1", Quorum.Approval.read(null));
        }
        return anchor;
    }

    private static Matcher awaitLine(Process p, Path log, Pattern line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = line.matcher(out);
            if (m.find()) {
                return m;
            }
            if (!p.isAlive()) {
                throw new AssertionError("hsm serve exited with " + p.exitValue() + ":\n" + out);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("hsm serve did not say it is serving within 90 s:\n" + Files.readString(log));
    }
}
