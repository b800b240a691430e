package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.cloudhsm.AuditEvent;
import io.jhsm.engine.cloudhsm.AuditLog;
import io.jhsm.engine.cloudhsm.AuditVerifier;
import io.jhsm.engine.cloudhsm.Json;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log through PKCS#11: what is recorded, and that tampering is found and located. */
class AuditLogTest {
    @TempDir
    Path dir;
    EngineFixture f;
    Path log;

    @BeforeEach
    void setUp() {
        f = new EngineFixture(dir).initialised();
        long s = f.rwSession();
        assertRv(CKR.PIN_INCORRECT, () -> f.engine.C_Login(s, CKU.USER, bytes("wrong-pin")));
        f.engine.C_Login(s, CKU.USER, EngineFixture.USER_PIN);
        long key = f.aesKey(s, io.jhsm.pkcs11.Attribute.of(io.jhsm.pkcs11.CKA.TOKEN, true));
        f.engine.C_DestroyObject(s, key);
        f.engine.C_Logout(s);
        log = dir.resolve("slot-0").resolve(AuditLog.FILE);
    }

    private List<Map<String, Object>> records() throws Exception {
        List<Map<String, Object>> r = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            r.add(Json.readObject(line));
        }
        return r;
    }

    @Test
    void everyManagementEventIsRecordedInOrderWithItsOutcome() throws Exception {
        List<Map<String, Object>> r = records();
        List<String> opcodes = r.stream().map(m -> (String) m.get("opcode")).toList();
        assertTrue(opcodes.containsAll(List.of("CN_LOGIN", "CN_CREATE_OBJECT", "CN_DESTROY_OBJECT", "CN_LOGOUT")), opcodes.toString());
        Map<String, Object> refused = r.stream().filter(m -> m.get("response").toString().contains("PIN_INCORRECT"))
                .findFirst().orElseThrow();
        assertEquals("user", refused.get("user"));
        for (int i = 0; i < r.size(); i++) {
            assertEquals((long) i + 1, r.get(i).get("seq"));
            assertTrue(((String) r.get(i).get("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));
        }
        assertTrue(AuditVerifier.verify(log).ok());
    }

    @Test
    void writersSharingTheFileContinueOneChain() throws Exception {
        // Two logs on one file stand for two processes: each must pick up the other's records, and a record
        // longer than the tail window (many keys) must still be found as the last one.
        AuditLog a = new AuditLog(log.getParent());
        AuditLog b = new AuditLog(log.getParent());
        List<Long> manyKeys = new ArrayList<>();
        for (long k = 0; k < 1500; k++) {
            manyKeys.add(1_000_000_000L + k);
        }
        long before = records().size();
        assertEquals(before + 1, a.append(AuditEvent.mgmt("CN_GENERATE_KEY", 1, 0, "user", List.of(7L), "pkcs11")));
        assertEquals(before + 2, b.append(AuditEvent.mgmt("CN_GENERATE_KEY", 2, 0, "user", manyKeys, "pkcs11")));
        assertEquals(before + 3, a.append(AuditEvent.mgmt("CN_DESTROY_OBJECT", 1, 0, "user", List.of(7L), "pkcs11")));
        assertEquals(before + 4, b.append(AuditEvent.mgmt("CN_DESTROY_OBJECT", 2, 0, "user", List.of(8L), "pkcs11")));
        List<Map<String, Object>> r = records();
        assertEquals(before + 4, r.size());
        assertTrue(Files.readAllLines(log).get((int) before + 1).length() > 16_384);
        assertTrue(AuditVerifier.verify(log).ok(), AuditVerifier.verify(log).toString());
        a.close();
        b.close();
    }

    @Test
    void anEditedRecordIsFound() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        // The first record of the crypto user (token and PIN initialisation come before it, by the SO).
        int edited = 0;
        while (!lines.get(edited).contains("\"user\":\"user\"")) {
            edited++;
        }
        lines.set(edited, lines.get(edited).replace("\"user\":\"user\"", "\"user\":\"mallory\""));
        Files.write(log, lines);
        AuditVerifier.Result r = AuditVerifier.verify(log);
        assertFalse(r.ok());
        assertEquals(edited + 1, r.line());
        assertTrue(r.problem().contains("modified"), r.problem());
    }

    @Test
    void aRemovedRecordIsFound() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.remove(1);
        Files.write(log, lines);
        AuditVerifier.Result r = AuditVerifier.verify(log);
        assertEquals(2, r.line());
        assertTrue(r.problem().contains("missing"), r.problem());
    }

    @Test
    void reorderedRecordsAreFound() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        String second = lines.remove(1);
        lines.add(2, second);
        Files.write(log, lines);
        AuditVerifier.Result r = AuditVerifier.verify(log);
        assertEquals(2, r.line());
        assertFalse(r.ok());
    }
}
