package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NSS's certutil against an HSM node, with the module registered by modutil in a private sql: database and alice's
 * PIN in a file: -K lists keys that live in the cluster, -S makes a key pair and a self-signed certificate there and
 * -L lists and exports the certificate, which plain OpenSSL verifies.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the network HSM is jhsm's own")
class NetworkNssTest {
    /** NSS's generic compatibility: certutil calls C_SeedRandom and C_SetAttributeValue, which CloudHSM's library refuses: the node's token is pkcs11. */
    @RegisterExtension static final NetworkHsmFixture hsm = NetworkHsmFixture.withProfile("pkcs11");
    static Path db;
    static Path pinFile;
    static Path noise;

    @BeforeAll
    static void nssDatabaseWithTheModuleRegistered() {
        db = Files2.mkdirs(hsm.file("nssdb"));
        pinFile = Files2.write(hsm.file("pin.txt"), (NetworkHsmFixture.alicePin() + "\n").getBytes());
        noise = Files2.write(hsm.file("noise.bin"), Files2.randomBytes(2048));
        hsm.cmd("certutil", "-N", "-d", nssDb(), "--empty-password").run().assertOk("certutil -N");
        hsm.cmd("modutil", "-dbdir", nssDb(), "-add", "jhsm-node", "-libfile", hsm.module().toString(), "-force")
                .run().assertOk("modutil -add");
    }

    static String nssDb() { return "sql:" + db; }

    static Cmd certutil(String... args) {
        return hsm.cmd("certutil", "-d", nssDb(), "-f", pinFile.toString()).args(args);
    }

    @Test
    void modutilSeesTheClusterAsTheModulesToken() {
        hsm.cmd("modutil", "-dbdir", nssDb(), "-list").run().assertOk("modutil -list")
                .assertOutputContains("library name: " + hsm.module(), "the module is registered")
                .assertOutputContains("token: " + hsm.tokenLabel(), "NSS reaches the cluster's token through the node");
    }

    @Test
    void certutilListsAKeyPairGeneratedInTheClusterByPkcs11Tool() {
        hsm.asAlice("--keypairgen", "--key-type", "EC:prime256v1", "--label", "nss-listed", "--id", "a1")
                .run().assertOk("EC key pair generation through the node");
        certutil("-K", "-h", hsm.tokenLabel()).run().assertOk("certutil -K")
                .assertOutputContains("nss-listed", "the key's CKA_LABEL is its NSS nickname");
    }

    @Test
    void certutilMakesASelfSignedCertificateInTheClusterAndListsIt() {
        String token = hsm.tokenLabel();
        certutil("-S", "-x", "-h", token, "-n", "nss-cert", "-s", "CN=nss-on-a-node", "-t", "u,u,u", "-k", "ec",
                "-q", "nistp256", "-z", noise.toString()).run().assertOk("certutil -S -x with the key made in the cluster");
        certutil("-L", "-h", token).run().assertOk("certutil -L")
                .assertOutputContains(token + ":nss-cert", "the certificate is a cluster object");
        Path pem = hsm.file("nss-cert.pem");
        String exported = certutil("-L", "-n", token + ":nss-cert", "-a").run().assertOk("certutil -L -a").output();
        Files2.write(pem, exported.substring(exported.indexOf("-----BEGIN")).getBytes());
        Cmd.of("openssl", "verify", "-CAfile", pem.toString(), pem.toString()).run()
                .assertOk("openssl verifies the self-signature NSS made in the cluster")
                .assertOutputContains(": OK", "self-signature");
        String subject = Cmd.of("openssl", "x509", "-in", pem.toString(), "-noout", "-subject").run()
                .assertOk("openssl x509").output().trim();
        assertEquals("subject=CN = nss-on-a-node", subject, "the certificate certutil made");
    }
}
