package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AES-GCM through dist/libjhsm.so under the two profiles. examples/cloudhsm-gcm/gcm.c, written the way CloudHSM
 * requires (zeroed 12-byte pIv, the HSM's IV read back; CKM_CLOUDHSM_AES_GCM with the IV in front), runs on both,
 * its output checked with the JDK's AES-GCM. src/test/c/gcm_habits.c, an application written for a standard
 * token, meets CloudHSM's rules on a cloudhsm token (its own IV refused with a log line saying why, no multi-part
 * GCM, at most 16224 bytes per call: pkcs11-mechanisms.html, ki-pkcs11-sdk.html) and the specification on a
 * pkcs11 token.
 */
class CloudHsmGcmTest {
    private static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final byte[] AAD = "header".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "attack at dawn".getBytes(StandardCharsets.US_ASCII);

    @TempDir Path dir;

    @BeforeEach
    void jhsmOnly() {
        assumeFalse(ModuleUnderTest.isSoftHsm(), "the profiles are jhsm's");
    }

    /**
     * A token under {@code profile}: initialised under pkcs11 (CloudHSM's library has no C_InitToken / C_InitPIN;
     * its CLI makes users), then JHSM_CONF's {@code profile} line gives every later process the profile.
     */
    private TokenFixture token(String profile) {
        TokenFixture t = TokenFixture.initialised(dir);
        t.jhsmConf.add("profile = " + profile);
        t.writeConfig();
        return t;
    }

    private static String field(String output, String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + " ([0-9a-f]+)$", Pattern.MULTILINE).matcher(output);
        if (!m.find()) throw new AssertionError("no '" + name + "' line in:\n" + output);
        return m.group(1);
    }

    /** examples/cloudhsm-gcm/gcm.c on a token under {@code profile}, with KEY imported: its output. */
    private Cmd.Result runExample(String profile) throws Exception {
        TokenFixture t = token(profile);
        Path example = CPrograms.example("cloudhsm-gcm", "gcm");
        return t.cmd(example.toString(), t.module().toString(), TokenFixture.LABEL, TokenFixture.USER_PIN, KEY)
                .run().assertOk("the example on a " + profile + " token");
    }

    /** src/test/c/gcm_habits.c on a token under {@code profile}, logging to {@code log}: its output lines. */
    private List<String> runHabits(String profile, Path log) throws Exception {
        TokenFixture t = token(profile);
        return t.cmd(CPrograms.consumer("gcm_habits").toString(), t.module().toString(), TokenFixture.LABEL,
                TokenFixture.USER_PIN).env("JHSM_LOG", log.toString()).run().assertOk("gcm_habits on a " + profile + " token")
                .output().lines().toList();
    }

    /** The example's CKM_AES_GCM part: whose IV it used, its round trip, and its ciphertext against the JDK's. */
    private static void assertStandardGcm(Cmd.Result r, String whoseIv) throws Exception {
        r.assertOutputContains("CKM_AES_GCM: " + whoseIv, "whose IV");
        r.assertOutputContains("CKM_AES_GCM: decrypted to the message", "round trip");
        byte[] iv = HexFormat.of().parseHex(field(r.output(), "CKM_AES_GCM: iv"));
        assertFalse(Arrays.equals(new byte[12], iv), "never the zeroed buffer as the IV");
        assertArrayEquals(jdkGcm(iv), HexFormat.of().parseHex(field(r.output(), "CKM_AES_GCM: ciphertext+tag")), r.output());
    }

    private static byte[] jdkGcm(byte[] iv) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(HexFormat.of().parseHex(KEY), "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(AAD);
        return c.doFinal(MESSAGE);
    }

    @Test
    void exampleGetsTheHsmsIvOnACloudHsmToken() throws Exception {
        Cmd.Result r = runExample("cloudhsm");
        assertStandardGcm(r, "the token generated the IV"); // the HSM wrote its IV into pIv

        byte[] prefixed = HexFormat.of().parseHex(field(r.output(), "CKM_CLOUDHSM_AES_GCM: iv+ciphertext+tag"));
        assertEquals(12 + MESSAGE.length + 16, prefixed.length);
        assertArrayEquals(jdkGcm(Arrays.copyOf(prefixed, 12)), Arrays.copyOfRange(prefixed, 12, prefixed.length),
                "CKM_CLOUDHSM_AES_GCM: the IV in front, then the JDK's ciphertext and tag");
        r.assertOutputContains("CKM_CLOUDHSM_AES_GCM: decrypted to the message", "vendor round trip");
    }

    @Test
    void exampleSuppliesItsOwnRandomIvOnAPkcs11Token() throws Exception {
        // a standard token leaves pIv alone: the example supplies a random IV of its own
        assertStandardGcm(runExample("pkcs11"), "the application chose the IV");
    }

    @Test
    void standardTokenHabitsMeetCloudHsmsRulesWithALogLineSayingWhy() throws Exception {
        Path log = dir.resolve("jhsm.log");
        assertEquals(List.of(
                "own-iv-init 0x71",       // CKR_MECHANISM_PARAM_INVALID: the HSM takes no IV from the application
                "zeroed-iv-init 0x0",
                "iv-filled yes",          // the HSM's IV, in the caller's buffer
                "update 0x70",            // CKR_MECHANISM_INVALID: no multi-part GCM
                "encrypt-16224 0x0",
                "encrypt-16225 0x21"),    // CKR_DATA_LEN_RANGE
                runHabits("cloudhsm", log));
        String lines = Files.readString(log);
        Cmd.Result logged = new Cmd.Result("JHSM_LOG", 0, false, lines);
        logged.assertOutputContains("C_EncryptInit: cloudhsm profile: IV invalid: CloudHSM expects the IV to be all 0",
                "the refusal says what CloudHSM requires");
        logged.assertOutputContains("zero the 12-byte pIv buffer before the call and read the HSM's IV from it afterwards",
                "and what the application must do");
        logged.assertOutputContains("C_EncryptUpdate: cloudhsm profile: CloudHSM does not support multi-part AES-GCM", "multi-part");
        logged.assertOutputContains("C_Encrypt: cloudhsm profile: AES-GCM takes at most 16224 bytes", "size limit");
    }

    @Test
    void standardTokenHabitsWorkOnAPkcs11Token() throws Exception {
        Path log = dir.resolve("jhsm.log");
        assertEquals(List.of("own-iv-init 0x0", "zeroed-iv-init 0x0", "iv-filled no", "update 0x0", "encrypt-16224 0x0",
                "encrypt-16225 0x0"), runHabits("pkcs11", log));
        new Cmd.Result("JHSM_LOG", 0, false, Files.exists(log) ? Files.readString(log) : "")
                .assertOutputLacks("cloudhsm profile", "a pkcs11 token refuses nothing here");
    }
}
