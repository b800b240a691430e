package io.jhsm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.token.TokenCounts;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.Mechanism;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An HSM's occupancy (CloudWatch's HsmKeysTokenOccupied, HsmKeysSessionOccupied, users) as one application counts it. */
class TokenCountsTest {
    @TempDir
    Path dir;

    @Test
    void tokenKeysSessionKeysAndUsersAreCountedAndDataObjectsAreNot() throws Exception {
        ClusterFixture.initialise(dir, false);
        Engine e = EngineFixture.managementPath(dir); // activation and users as the CLI makes them (C_SetPIN, C_InitPIN)
        try {
            long s = e.C_OpenSession(0, 6);
            e.C_Login(s, CKU.SO, "admin:password".getBytes(StandardCharsets.UTF_8));
            e.C_SetPIN(s, "password".getBytes(StandardCharsets.UTF_8), "Admin-pass-1".getBytes(StandardCharsets.UTF_8));
            long usersBefore = e.counts(0).users();
            e.C_InitPIN(s, "alice:alice-pass-1".getBytes(StandardCharsets.UTF_8));
            e.C_Logout(s);
            e.C_Login(s, CKU.USER, "alice:alice-pass-1".getBytes(StandardCharsets.UTF_8));
            TokenCounts before = e.counts(0);
            e.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.VALUE_LEN, 16L)));
            e.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.VALUE_LEN, 16L)));
            e.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.VALUE_LEN, 16L)));
            e.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.DATA), Attribute.of(CKA.TOKEN, true),
                    Attribute.of(CKA.VALUE, new byte[] {1})));
            TokenCounts after = e.counts(0);
            assertEquals(before.tokenKeys() + 1, after.tokenKeys());
            assertEquals(before.sessionKeys() + 2, after.sessionKeys());
            assertEquals(usersBefore + 1, after.users(), "alice was added");
        } finally {
            e.C_Finalize();
        }
    }
}
