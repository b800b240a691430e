package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * A C application (src/test/c/cloudhsm_profile.c) through dist/libjhsm.so on a cloudhsm-profile token and on a
 * pkcs11-profile one: the functions CloudHSM's SDK 5 lacks (pkcs11-apis.html), a Notify callback (its log line in
 * openssl-projects/pkcs11-provider issue 342), read-only sessions (fixed in SDK 5.5.0), SDK 5's mechanism list and
 * its maximum data sizes (pkcs11-mechanisms.html).
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the profile is jhsm's")
class CloudHsmProfileCTest {
    @TempDir Path dir;

    private static final String NOT_SUPPORTED = "0x54";

    /** The program's lines, "CALL rv 0xRV" or "CALL value N", as CALL to its answer. */
    private Map<String, String> run(String... jhsmConf) throws IOException {
        Path program = CPrograms.consumer("cloudhsm_profile");
        TokenFixture token = TokenFixture.initialised(Files.createDirectories(dir.resolve("token")), jhsmConf);
        Cmd.Result r = token.cmd(program.toString(), token.module().toString(), TokenFixture.USER_PIN)
                .timeout(Duration.ofMinutes(3)).run();
        assertEquals(0, r.exitCode(), r.describe());
        Map<String, String> answers = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^(C_\\S+(?: [^\\n]*?)?) (?:rv|value) (\\S+)$").matcher(r.output());
        while (m.find()) {
            answers.put(m.group(1), m.group(2));
        }
        answers.put("transcript", r.output());
        return answers;
    }

    @Test
    void onACloudHsmTokenTheApplicationMeetsSdk5sRefusalsWithALogLineSayingWhatToDo() throws IOException {
        Map<String, String> a = run("profile = cloudhsm");
        String transcript = a.get("transcript");
        assertEquals("0x7", a.get("C_OpenSession(Notify)"), transcript);           // CKR_ARGUMENTS_BAD
        assertEquals("0x0", a.get("C_OpenSession(read-only)"), transcript);
        for (String call : new String[] {"C_SetAttributeValue", "C_CopyObject", "C_GetObjectSize", "C_SeedRandom",
                "C_GetOperationState", "C_DigestEncryptUpdate", "C_WaitForSlotEvent"}) {
            assertEquals(NOT_SUPPORTED, a.get(call), call + "\n" + transcript);
        }
        assertTrue(transcript.contains("cloudhsm profile: CloudHSM's PKCS#11 library (Client SDK 5) does not support"
                + " C_SetAttributeValue (CKR_FUNCTION_NOT_SUPPORTED); change attributes with 'jhsm key set-attribute'"), transcript);
        assertTrue(transcript.contains("pass NULL_PTR for both pApplication and Notify"), transcript);
        assertEquals("0x70", a.get("C_GetMechanismInfo(CKM_SHA3_256)"), transcript);  // CKR_MECHANISM_INVALID
        assertEquals("0x70", a.get("C_DigestInit(CKM_SHA3_256)"), transcript);
        assertEquals("0", a.get("C_GetMechanismList has CKM_EDDSA"), transcript);
        assertEquals("0", a.get("C_GetMechanismInfo(CKM_AES_GCM) has CKF_MESSAGE_ENCRYPT"), transcript);
        assertEquals("0x0", a.get("C_Sign(CKM_SHA256_HMAC, 16288 bytes)"), transcript);
        assertEquals("0x21", a.get("C_Sign(CKM_SHA256_HMAC, 16289 bytes)"), transcript);   // CKR_DATA_LEN_RANGE
        assertEquals("0x21", a.get("C_Encrypt(CKM_AES_CBC, 16288 bytes)"), transcript);
    }

    @Test
    void onAPkcs11TokenTheSameApplicationGetsTheStandardsAnswers() throws IOException {
        Map<String, String> a = run();
        String transcript = a.get("transcript");
        for (String call : new String[] {"C_OpenSession(Notify)", "C_OpenSession(read-only)", "C_SetAttributeValue",
                "C_CopyObject", "C_GetObjectSize", "C_SeedRandom", "C_GetMechanismInfo(CKM_SHA3_256)",
                "C_DigestInit(CKM_SHA3_256)", "C_Sign(CKM_SHA256_HMAC, 16289 bytes)", "C_Encrypt(CKM_AES_CBC, 16288 bytes)"}) {
            assertEquals("0x0", a.get(call), call + "\n" + transcript);
        }
        assertEquals("0x8", a.get("C_WaitForSlotEvent"), transcript);                  // CKR_NO_EVENT
        for (String call : new String[] {"C_GetOperationState", "C_DigestEncryptUpdate"}) {
            assertTrue(a.containsKey(call) && !NOT_SUPPORTED.equals(a.get(call)), call + "\n" + transcript);
        }
        assertEquals("1", a.get("C_GetMechanismList has CKM_EDDSA"), transcript);
        assertEquals("1", a.get("C_GetMechanismInfo(CKM_AES_GCM) has CKF_MESSAGE_ENCRYPT"), transcript);
        assertTrue(!transcript.contains("cloudhsm profile:"), transcript);
    }
}
