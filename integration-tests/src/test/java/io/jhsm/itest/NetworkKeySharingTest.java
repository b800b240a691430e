package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CloudHSM's key sharing between two client processes of one node: alice owns a key and shares it with bob
 * through the forwarded {@code jhsm key share}; each user's own PyKCS11 process (one connection, one PKCS#11
 * application each) logs in at the same time and signs with it, and the JDK verifies both signatures. Bob may use
 * the key, nothing more (CloudHSM's key-sharing guide: shared users cannot delete, export, share or wrap it).
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the network HSM is jhsm's own")
class NetworkKeySharingTest {
    static final String BOB = "bob";
    static final String BOB_PASSWORD = "bob-pass-1";
    static final Path SCRIPT = ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/python/pykcs11_shared_sign.py");
    static final Pattern PRIVATE_REFERENCE = Pattern.compile("\"private_key\":\\{\"key-reference\":(\\d+)");

    @RegisterExtension static final NetworkHsmFixture hsm = new NetworkHsmFixture();

    @BeforeAll
    static void aliceSharesAnEcKeyWithBobAndKeepsAnotherToHerself() {
        hsm.createCryptoUser(BOB, BOB_PASSWORD);
        String generated = hsm.jhsm("key", "generate-asymmetric-pair", "ec", "--curve", "secp256r1", "--label", "shared-ec",
                "--attributes", "sign=true", "--login", NetworkHsmFixture.alicePin(), "--json")
                .run().assertOk("forwarded jhsm key generate-asymmetric-pair").output();
        Matcher m = PRIVATE_REFERENCE.matcher(generated);
        assertTrue(m.find(), "the generated private key's reference:\n" + generated);
        hsm.jhsm("key", "share", "--key", m.group(1), "--with", BOB, "--login", NetworkHsmFixture.alicePin())
                .run().assertOk("forwarded jhsm key share with bob");
        // --private: CloudHSM takes CKA_PRIVATE only at TRUE, on the public key too (pkcs11-tool's default is FALSE).
        hsm.asAlice("--keypairgen", "--key-type", "EC:prime256v1", "--label", "alice-only", "--id", "a1", "--private")
                .run().assertOk("alice's unshared key");
        hsm.jhsm("key", "generate-symmetric", "aes", "--key-length-bytes", "32", "--label", "shared-aes",
                "--attributes", "extractable=true,encrypt=true,decrypt=true", "--share-crypto-users", BOB,
                "--login", NetworkHsmFixture.alicePin()).run().assertOk("alice's extractable AES key, shared with bob");
        for (String user : new String[] {NetworkHsmFixture.alicePin(), NetworkHsmFixture.pin(BOB, BOB_PASSWORD)}) {
            String name = user.substring(0, user.indexOf(':'));
            hsm.jhsm("key", "generate-symmetric", "aes", "--key-length-bytes", "32", "--label", name + "-wrap",
                    "--attributes", "wrap=true", "--login", user).run().assertOk(name + "'s own wrapping key");
        }
    }

    static Cmd signer(String pin, String keyLabel, byte[] data) {
        return hsm.cmd(PyKcs11Test.PYTHON, SCRIPT.toString(), hsm.module().toString(), hsm.tokenLabel(), pin, keyLabel,
                Files2.hex(data));
    }

    static boolean jdkVerifies(PublicKey key, byte[] data, String signatureHex) throws GeneralSecurityException {
        Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
        v.initVerify(key);
        v.update(data);
        return v.verify(HexFormat.of().parseHex(signatureHex));
    }

    static String signatureOf(Background app) {
        Matcher m = Pattern.compile("\"signature\": \"([0-9a-f]+)\"").matcher(app.output());
        assertTrue(m.find(), "a signature line:\n" + app.output());
        return m.group(1);
    }

    @Test
    void aliceAndBobSignWithTheSharedKeyFromTwoProcessesLoggedInAtOnce() throws GeneralSecurityException {
        byte[] aliceData = Files2.randomBytes(300);
        byte[] bobData = Files2.randomBytes(301);
        try (Background alice = Background.start("alice's application",
                     signer(NetworkHsmFixture.alicePin(), "shared-ec", aliceData), hsm.file("alice.log"));
             Background bob = Background.start("bob's application",
                     signer(NetworkHsmFixture.pin(BOB, BOB_PASSWORD), "shared-ec", bobData), hsm.file("bob.log"))) {
            alice.awaitOutput("ready 1", Duration.ofSeconds(60), "alice is logged in and finds her key");
            bob.awaitOutput("ready 1", Duration.ofSeconds(60), "bob is logged in at the same time and finds the shared key");
            alice.send("go");
            bob.send("go");
            alice.awaitOutput("\"signature\"", Duration.ofSeconds(60), "alice signs");
            bob.awaitOutput("\"signature\"", Duration.ofSeconds(60), "bob signs");
            PublicKey key = hsm.publicKey("EC", "--label", "shared-ec");
            assertTrue(jdkVerifies(key, aliceData, signatureOf(alice)), "alice's signature verifies with the shared key");
            assertTrue(jdkVerifies(key, bobData, signatureOf(bob)), "bob's signature verifies with the shared key");
        }
    }

    @Test
    void bobMayUseTheSharedKeyButNotDestroyIt() {
        hsm.pkcs11ToolAs(NetworkHsmFixture.pin(BOB, BOB_PASSWORD), "--delete-object", "--type", "privkey",
                "--label", "shared-ec").run().assertFails("bob deletes alice's shared key")
                // CKR_ACTION_PROHIBITED (PKCS#11 3.0), which OpenSC 0.23 prints by its number
                .assertOutputContains("(0x1b)", "only the owner destroys a key (CloudHSM key sharing)");
        hsm.asAlice("--list-objects", "--type", "privkey").run().assertOk("alice lists her keys")
                .assertOutputContains("label:      shared-ec", "the key survived bob's attempt");
    }

    @Test
    void aKeyAliceDidNotShareIsInvisibleToBobsApplication() {
        Cmd.Result r = signer(NetworkHsmFixture.pin(BOB, BOB_PASSWORD), "alice-only", new byte[1]).stdin("stop\n")
                .run();
        assertTrue(r.output().contains("ready 0"), "bob's C_FindObjects finds none of alice's unshared keys:\n" + r.describe());
        Matcher m = Pattern.compile("ready (\\d+)").matcher(signer(NetworkHsmFixture.alicePin(), "alice-only", new byte[1])
                .stdin("stop\n").run().output());
        assertTrue(m.find(), "alice's application reports what it found");
        assertEquals("1", m.group(1), "alice herself finds the key, so bob's empty result is the sharing rule");
    }

    /** Export is the owner's alone (CloudHSM key sharing): bob's forwarded key wrap is refused, alice's works. */
    @Test
    void bobMayNotExportTheSharedKeyWhichAliceMay() {
        Path bobs = hsm.file("bob.wrapped");
        hsm.jhsm("key", "wrap", "--key", "attr.label=shared-aes", "--wrapping-key", "attr.label=bob-wrap",
                        "--mechanism", "aes", "--path", bobs.toString(), "--login", NetworkHsmFixture.pin(BOB, BOB_PASSWORD))
                .run().assertFails("bob wraps alice's shared key")
                .assertOutputContains("CKR_ACTION_PROHIBITED", "only the owner exports a key");
        assertFalse(Files.exists(bobs), "nothing was written for bob");
        Path alices = hsm.file("alice.wrapped");
        hsm.jhsm("key", "wrap", "--key", "attr.label=shared-aes", "--wrapping-key", "attr.label=alice-wrap",
                        "--mechanism", "aes", "--path", alices.toString(), "--login", NetworkHsmFixture.alicePin())
                .run().assertOk("alice wraps her own key, so bob's refusal is the sharing rule");
        assertEquals(40, Files2.read(alices).length, "RFC 3394 wrapping of a 32-byte key, shipped back to the client's path");
    }
}
