package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PKCS#11's fork rule through the native client (issue 18): src/test/c/nc_fork.c initialises
 * dist/libjhsm-client.so, logs in and signs, then forks 8 children. Each child is a new application: before its
 * own C_Initialize every call answers CKR_CRYPTOKI_NOT_INITIALIZED (never a hang: alarm() bounds it), after it
 * the child logs in and signs with the key handle its parent found (jhsm's token-object handles are stable ids)
 * over its own connection; the parent keeps signing meanwhile and finalizes cleanly. The JDK verifies every
 * signature against the public key read through the node.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the network HSM is jhsm's own")
class NativeClientForkTest {
    static final int CHILDREN = 8;
    static final String LABEL = "fork-ec";
    static final String CKR_CRYPTOKI_NOT_INITIALIZED = "0x190";
    /** Must match nc_fork.c's MESSAGE. */
    static final byte[] MESSAGE = "jhsm nc_fork: a message signed on both sides of fork()".getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension static final NetworkHsmFixture hsm = new NetworkHsmFixture();
    static PublicKey publicKey;

    @BeforeAll
    static void aliceHasAnEcKeyPairInTheCluster() {
        // --private: the cluster's cloudhsm profile takes CKA_PRIVATE only at TRUE, as CloudHSM does.
        hsm.asAlice("--keypairgen", "--key-type", "EC:prime256v1", "--label", LABEL, "--id", "0f", "--private")
                .run().assertOk("an EC P-256 key pair in the cluster");
        publicKey = hsm.publicKey("EC", "--id", "0f");
    }

    @Test
    void eightForkedChildrenEachInitialiseLogInAndSignWithTheKeyHandleTheirParentFound() throws Exception {
        Path program = CPrograms.consumer("nc_fork");
        Cmd.Result r = hsm.cmd(program.toString(), NativeClient.module().toString(), NetworkHsmFixture.alicePin(), LABEL,
                Integer.toString(CHILDREN)).timeout(Duration.ofMinutes(6)).run();
        String transcript = r.describe() + "\n(node log: " + hsm.keptNodeLog() + ")";
        r.assertOk("nc_fork: every child and the parent did as PKCS#11 says");

        for (int i = 0; i < CHILDREN; i++) {
            String child = "child-" + i;
            assertTrue(r.output().contains(child + " before " + CKR_CRYPTOKI_NOT_INITIALIZED + " " + CKR_CRYPTOKI_NOT_INITIALIZED),
                    child + ": C_GetInfo and C_SignInit on the parent's session answer CKR_CRYPTOKI_NOT_INITIALIZED before"
                            + " the child's C_Initialize:\n" + transcript);
            assertTrue(r.output().contains(child + " exit 0"), child + " exits 0:\n" + transcript);
            List<byte[]> sigs = signatures(r.output(), child);
            assertEquals(1, sigs.size(), child + " signs once:\n" + transcript);
            assertTrue(jdkVerifies(sigs.get(0)), child + "'s signature verifies with the JDK:\n" + transcript);
        }
        List<byte[]> parents = signatures(r.output(), "parent");
        assertTrue(parents.size() >= 2, "the parent signs before, while and after its children run:\n" + transcript);
        for (byte[] sig : parents) {
            assertTrue(jdkVerifies(sig), "the parent's signature verifies with the JDK:\n" + transcript);
        }
        r.assertOutputContains("finalize 0x0", "the parent's C_Finalize after its children's lives");
        r.assertOutputLacks("FAIL", "no step failed");
    }

    static boolean jdkVerifies(byte[] signature) throws GeneralSecurityException {
        Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
        v.initVerify(publicKey);
        v.update(MESSAGE);
        return v.verify(signature);
    }

    /** The signatures nc_fork printed for one side ("sig WHO HEX" lines). */
    static List<byte[]> signatures(String output, String who) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^sig " + Pattern.quote(who) + " ([0-9a-f]+)$").matcher(output);
        while (m.find()) {
            out.add(HexFormat.of().parseHex(m.group(1)));
        }
        return out;
    }
}
