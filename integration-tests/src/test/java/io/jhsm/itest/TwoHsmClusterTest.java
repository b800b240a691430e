package io.jhsm.itest;

import io.jhsm.itest.ClusterFixture.Hsm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * A cluster of two HSMs that loses one (issue 15, "Tests"): the survivor is no majority, so nothing new can be
 * committed, yet its keys stay on two HSMs of the cluster's configuration and keep serving (CloudHSM's key
 * availability counts the HSMs a key was replicated to; a write needs them to agree).
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "jhsm's own HSM cluster")
class TwoHsmClusterTest {

    @Test
    void twoHsmClusterThatLosesOneKeepsSigningAndRefusesNewTokenKeys() throws Exception {
        try (ClusterFixture cluster = ClusterFixture.up(2, "TwoHsmClusterTest")) {
            cluster.pkcs11ToolAsAlice(cluster.clientConf(), "--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02")
                    .run().assertOk("an EC key made while both HSMs serve");
            List<Hsm> hsms = cluster.awaitInSync("the key reaches both HSMs");
            Hsm lost = hsms.get(0);
            Hsm survivor = hsms.get(1);
            cluster.fault(lost.id(), "kill");
            Path conf = cluster.singleHsmConf(survivor);

            Path input = Files2.write(cluster.file("data.bin"), Files2.randomBytes(500));
            Path der = cluster.file("ec.der");
            Path pem = cluster.file("ec.pem");
            Path sig = cluster.file("ec.sig");
            cluster.pkcs11ToolAsAlice(conf, "--read-object", "--type", "pubkey", "--id", "02", "-o", der.toString()).run()
                    .assertOk("the survivor serves reads");
            cluster.pkcs11ToolAsAlice(conf, "--sign", "--id", "02", "--mechanism", "ECDSA-SHA256", "--signature-format", "openssl",
                    "-i", input.toString(), "-o", sig.toString()).run().assertOk("the survivor signs with the existing key");
            Cmd.of("openssl", "pkey", "-pubin", "-inform", "DER", "-in", der.toString(), "-out", pem.toString()).run().assertOk("openssl pkey");
            Cmd.of("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature", sig.toString(), input.toString()).run()
                    .assertOk("openssl verifies").assertOutputContains("Verified OK", "the survivor's signature verifies");

            cluster.pkcs11ToolAsAlice(conf, "--keypairgen", "--key-type", "EC:prime256v1", "--label", "refused", "--id", "03")
                    .timeout(Duration.ofMinutes(1)).run().assertFails("a new token key on the survivor alone")
                    .assertOutputContains("CKR_FUNCTION_FAILED", "no majority commits it: CKR_FUNCTION_FAILED");
            cluster.app(conf, "sign", "5").timeout(Duration.ofMinutes(1)).run()
                    .assertOk("session keys are the HSM's own (not replicated): made and used on the survivor")
                    .assertOutputContains("signed ok=5 failed=0", "every signature with the session key");
        }
    }
}
