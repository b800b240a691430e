package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster mtls …} and {@code cluster csr} with CloudHSM CLI's rules: who may run what, the key types, two anchors, enforcement needs one. */
class ClusterMtlsCommandsTest {
    static final String ADMIN = "--login=admin:Admin-pass1";
    static final String ALICE = "--login=alice:alice-pass1";

    @TempDir
    Path dir;

    private CliFixture activeClusterWithACryptoUser() throws Exception {
        CliFixture cli = new CliFixture(dir);
        cli.activeCluster(0, "Admin-pass1");
        cli.ok("user", "create", ADMIN, "--login-role", "admin", "--username", "alice", "--role", "crypto-user", "--password", "alice-pass1");
        return cli;
    }

    private Path selfSigned(CliFixture cli, String name, String... keyOptions) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(List.of("req", "-x509"));
        args.addAll(List.of(keyOptions));
        args.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".crt", "-days", "30", "-subj", "/CN=" + name));
        cli.openssl(args.toArray(new String[0]));
        return dir.resolve(name + ".crt");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> anchors(CliFixture cli) {
        return (List<Map<String, Object>>) cli.ok("cluster", "mtls", "list-trust-anchors", "--json").data().get("trust_anchors");
    }

    @Test
    void onlyTheAdminRegistersUpToTwoAnchorsOfTheKeyTypesCloudHsmAccepts() throws Exception {
        CliFixture cli = activeClusterWithACryptoUser();
        Path p256 = selfSigned(cli, "ecCA", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        Path rsa = selfSigned(cli, "rsaCA", "-newkey", "rsa:2048");
        Path k1 = selfSigned(cli, "k1CA", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1");
        Path third = selfSigned(cli, "thirdCA", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384");

        assertEquals(List.of(), anchors(cli), "listing needs no login");
        cli.fails(4, "cluster", "mtls", "register-trust-anchor", ALICE, "--login-role", "crypto-user", "--path", p256.toString());
        cli.fails(2, "cluster", "mtls", "register-trust-anchor", ADMIN, "--login-role", "admin", "--path", k1.toString());
        Map<String, Object> first = cli.ok("cluster", "mtls", "register-trust-anchor", ADMIN, "--login-role", "admin",
                "--path", p256.toString(), "--json").data();
        assertEquals("0x01", ((Map<?, ?>) first.get("trust_anchor")).get("certificate-reference"));
        cli.fails(2, "cluster", "mtls", "register-trust-anchor", ADMIN, "--login-role", "admin", "--path", p256.toString());
        cli.ok("cluster", "mtls", "register-trust-anchor", ADMIN, "--login-role", "admin", "--path", rsa.toString());
        cli.fails(2, "cluster", "mtls", "register-trust-anchor", ADMIN, "--login-role", "admin", "--path", third.toString());

        List<Map<String, Object>> listed = anchors(cli);
        assertEquals(List.of("0x01", "0x02"), listed.stream().map(m -> m.get("certificate-reference")).toList());
        assertEquals(Files.readString(rsa), listed.get(1).get("certificate"));
        assertEquals("full", listed.get(1).get("cluster-coverage"));
    }

    @Test
    void enforcementNeedsAnAnchorAndKeepsTheLastOne() throws Exception {
        CliFixture cli = activeClusterWithACryptoUser();
        Path ca = selfSigned(cli, "clientCA", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        assertEquals("none", cli.ok("cluster", "mtls", "get-enforcement", ALICE, "--json").data().get("mtls-enforcement-level"));
        cli.fails(3, "cluster", "mtls", "get-enforcement");
        cli.fails(6, "cluster", "mtls", "set-enforcement", ADMIN, "--login-role", "admin", "--level", "cluster");
        cli.fails(2, "cluster", "mtls", "set-enforcement", ADMIN, "--login-role", "admin", "--level", "always");

        cli.ok("cluster", "mtls", "register-trust-anchor", ADMIN, "--login-role", "admin", "--path", ca.toString());
        cli.fails(4, "cluster", "mtls", "set-enforcement", ALICE, "--login-role", "crypto-user", "--level", "cluster");
        cli.ok("cluster", "mtls", "set-enforcement", ADMIN, "--login-role", "admin", "--level", "cluster");
        assertEquals("cluster", cli.ok("cluster", "mtls", "get-enforcement", ALICE, "--json").data().get("mtls-enforcement-level"));

        cli.fails(6, "cluster", "mtls", "deregister-trust-anchor", ADMIN, "--login-role", "admin", "--certificate-reference", "0x01");
        cli.fails(5, "cluster", "mtls", "deregister-trust-anchor", ADMIN, "--login-role", "admin", "--certificate-reference", "0x09");
        cli.ok("cluster", "mtls", "set-enforcement", ADMIN, "--login-role", "admin", "--level", "none");
        cli.ok("cluster", "mtls", "deregister-trust-anchor", ADMIN, "--login-role", "admin", "--certificate-reference", "0x01");
        assertEquals(List.of(), anchors(cli));

        String audit = Files.readString(dir.resolve("data/slot-0/audit.log"));
        for (String op : List.of("CN_REGISTER_TRUST_ANCHOR", "CN_SET_MTLS_ENFORCEMENT", "CN_DEREGISTER_TRUST_ANCHOR")) {
            assertTrue(audit.contains(op), op);
        }
        cli.ok("audit", "verify");
    }

    @Test
    void clusterCsrGivesBackTheCsrOfTheSlotsCluster() throws Exception {
        CliFixture cli = new CliFixture(dir);
        cli.fails(6, "cluster", "csr");
        String id = (String) cli.ok("cluster", "create", "--csr-dir", dir.toString(), "--json").data().get("cluster-id");
        String written = Files.readString(dir.resolve(id + "_ClusterCsr.csr"));
        assertEquals(written, cli.ok("cluster", "csr").out());
        cli.ok("cluster", "csr", "--out", dir.resolve("again.csr").toString());
        assertEquals(written, Files.readString(dir.resolve("again.csr")));
        assertTrue(written.startsWith("-----BEGIN CERTIFICATE REQUEST-----"), written);
    }
}
