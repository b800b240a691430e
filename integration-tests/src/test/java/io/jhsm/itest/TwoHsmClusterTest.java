package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.itest.ClusterFixture.Hsm;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

/**
 * A cluster of two HSMs that loses one (issue 15, "Tests"): the survivor is no majority, so nothing new can be
 * committed, yet the keys it holds are on the two HSMs of the cluster's configuration and keep serving the
 * application that uses it (CloudHSM's key availability counts the HSMs a key reached; a write needs a majority).
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "jhsm's own HSM cluster")
class TwoHsmClusterTest {
    static final String CKR_OK = "0x0";
    static final String CKR_FUNCTION_FAILED = "0x6";

    @Test
    void twoHsmClusterThatLosesOneKeepsSigningAndRefusesNewTokenKeys() throws Exception {
        try (ClusterFixture cluster = ClusterFixture.up(2, "TwoHsmClusterTest")) {
            // --private: a cluster has the cloudhsm profile, and CloudHSM takes CKA_PRIVATE only at TRUE, which
            // pkcs11-tool sets on the public key only when asked (OpenSC issue 2747).
            cluster.pkcs11ToolAsAlice(cluster.clientConf(), "--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02",
                            "--private")
                    .run().assertOk("an EC key made while both HSMs serve");
            List<Hsm> hsms = cluster.awaitInSync("the key reaches both HSMs");
            PublicKey key = cluster.ecPublicKey(cluster.clientConf(), "02");
            Hsm lost = hsms.stream().filter(Hsm::leader).findFirst().orElse(hsms.get(0));
            Hsm survivor = hsms.stream().filter(h -> !h.equals(lost)).findFirst().orElseThrow();
            try (SteppedApp app = cluster.steps(cluster.singleHsmConf(survivor), "survivor-app")) {
                assertTrue(app.signsVerifiably("ec", key), "signing before the loss");
                cluster.fault(lost.id(), "kill");
                assertTrue(app.signsVerifiably("ec", key), "the survivor keeps signing with the existing key");
                assertEquals(CKR_FUNCTION_FAILED, app.rv("gen refused"), "a new token key on the survivor alone: no majority commits it");
                assertEquals(CKR_OK, app.rv("session"), "session keys are the HSM's own (not replicated): made and used on the survivor");
                assertEquals(0, app.found("refused"), "the refused key was not made");
                assertTrue(app.signsVerifiably("ec", key), "and it keeps signing after the refusal");
            }
        }
    }
}
