package io.jhsm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.cloudhsm.AuditLog;
import io.jhsm.engine.cloudhsm.AuditVerifier;
import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.Json;
import io.jhsm.engine.diag.KillPoint;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKU;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every committed change has its audit record, even when the process dies right after the commit
 * (kill point between the SQLite commit and the audit.log append, in a child JVM), and token and PIN
 * initialisation are recorded without the PIN.
 */
class AuditCompletenessTest {
    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("slot-0").resolve(AuditLog.FILE);
    }

    private List<Map<String, Object>> records() throws Exception {
        List<Map<String, Object>> r = new ArrayList<>();
        for (String line : Files.readAllLines(log())) {
            r.add(Json.readObject(line));
        }
        return r;
    }

    private static void runKilledChild(String... args) throws Exception {
        Process p = AuditKillChild.spawn(args);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(KillPoint.HALT_STATUS, p.exitValue(), out);
    }

    private static boolean recorded(List<Map<String, Object>> records, String opcode, long key) {
        return records.stream().anyMatch(r -> opcode.equals(r.get("opcode")) && "0:RET_OK".equals(r.get("response"))
                && ((List<?>) r.get("keys")).contains(key));
    }

    private long findKey(EngineFixture f, long session, String label) {
        f.engine.C_FindObjectsInit(session, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.LABEL, label)));
        long[] found = f.engine.C_FindObjects(session, 10);
        f.engine.C_FindObjectsFinal(session);
        assertEquals(1, found.length, "keys labelled " + label);
        return found[0];
    }

    @Test
    void aCreateCommittedBeforeAKillHasItsRecordAfterRestart() throws Exception {
        EngineFixture f = new EngineFixture(dir).initialised();
        f.engine.C_Finalize();
        runKilledChild("create", dir.toString(), "made-then-killed");

        EngineFixture restarted = new EngineFixture(dir);
        long s = restarted.userSession();
        long key = findKey(restarted, s, "made-then-killed");
        List<Map<String, Object>> r = records();
        assertTrue(recorded(r, "CN_CREATE_OBJECT", key), "no record of the committed create of " + key + ": " + r);
        assertTrue(AuditVerifier.verify(log()).ok(), AuditVerifier.verify(log()).toString());
        // Copied in once: the login that followed did not add it a second time.
        assertEquals(1, r.stream().filter(m -> "CN_CREATE_OBJECT".equals(m.get("opcode"))).count());
    }

    @Test
    void aDestroyCommittedBeforeAKillHasItsRecordWhenTheLogIsVerified() throws Exception {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        long key = f.aesKey(s, Attribute.of(CKA.TOKEN, true));
        f.engine.C_Finalize();
        runKilledChild("destroy", dir.toString(), Long.toString(key));

        // What `jhsm audit verify` does first: copy in what token.db committed and the file lacks.
        try (CloudHsm hsm = CloudHsm.open(dir.resolve("slot-0"))) {
            hsm.auditLog().sync();
        }
        assertTrue(recorded(records(), "CN_DESTROY_OBJECT", key), records().toString());
        assertTrue(AuditVerifier.verify(log()).ok(), AuditVerifier.verify(log()).toString());
    }

    @Test
    void processesWritingSideBySideRecordEveryChangeExactlyOnce() throws Exception {
        EngineFixture f = new EngineFixture(dir).initialised();
        f.engine.C_Finalize();
        int perProcess = 60;
        List<Process> children = List.of(AuditKillChild.spawn(false, "many", dir.toString(), "" + perProcess),
                AuditKillChild.spawn(false, "many", dir.toString(), "" + perProcess));
        for (Process p : children) {
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child did not finish");
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        List<Map<String, Object>> r = records();
        for (String opcode : List.of("CN_CREATE_OBJECT", "CN_DESTROY_OBJECT")) {
            List<Object> keys = r.stream().filter(m -> opcode.equals(m.get("opcode")))
                    .map(m -> (Object) ((List<?>) m.get("keys")).get(0)).toList();
            assertEquals(2 * perProcess, keys.size(), opcode);
            assertEquals(2 * perProcess, new java.util.HashSet<>(keys).size(), opcode + " recorded twice");
        }
        assertTrue(AuditVerifier.verify(log()).ok(), AuditVerifier.verify(log()).toString());
    }

    @Test
    void tokenAndPinInitialisationAreRecordedWithoutThePin() throws Exception {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        f.engine.C_SetPIN(s, EngineFixture.USER_PIN, EngineFixture.bytes("user-secret-2"));
        List<String> opcodes = records().stream().map(m -> (String) m.get("opcode")).toList();
        assertTrue(opcodes.containsAll(List.of("CN_INIT_TOKEN", "CN_INIT_PIN", "CN_CHANGE_PSWD")), opcodes.toString());
        String text = Files.readString(log());
        for (String secret : List.of("so-secret-1", "user-secret-1", "user-secret-2")) {
            assertFalse(text.contains(secret), "a PIN is in the audit log");
        }
        assertTrue(AuditVerifier.verify(log()).ok());
    }

    @Test
    void aRefusedPinChangeIsRecordedAsRefusedNotAsDone() throws Exception {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        EngineFixture.assertRv(io.jhsm.pkcs11.CKR.PIN_INCORRECT,
                () -> f.engine.C_SetPIN(s, EngineFixture.bytes("not-the-pin"), EngineFixture.bytes("user-secret-2")));
        List<Map<String, Object>> changes = records().stream().filter(m -> "CN_CHANGE_PSWD".equals(m.get("opcode"))).toList();
        assertEquals(1, changes.size(), changes.toString());
        assertTrue(changes.get(0).get("response").toString().contains("PIN_INCORRECT"), changes.toString());
        f.engine.C_Logout(s);
        f.engine.C_Login(s, CKU.USER, EngineFixture.USER_PIN);
    }
}
