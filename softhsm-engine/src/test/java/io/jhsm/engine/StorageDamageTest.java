package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.store.SqliteTokenStore;
import io.jhsm.engine.store.StoreDamage;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage stays local: one object whose sealed data no longer opens does not make the others unreachable. */
class StorageDamageTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedObjectIsLeftOutOfSearchesAndItsHandleAloneIsInvalid() throws Exception {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        long good = f.aesKey(s, Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, "good"));
        long bad = f.aesKey(s, Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, "bad"));
        f.engine.C_Finalize();
        StoreDamage.flipLastByteOfObject(dir.resolve("slot-0"), bad);

        EngineFixture again = new EngineFixture(dir);
        long s2 = again.userSession();
        again.engine.C_FindObjectsInit(s2, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY)));
        assertArrayEquals(new long[] {good}, again.engine.C_FindObjects(s2, 10));
        again.engine.C_FindObjectsFinal(s2);
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> again.engine.C_GetAttributeValue(s2, bad, new long[] {CKA.LABEL}));
        try (SqliteTokenStore store = SqliteTokenStore.open(dir.resolve("slot-0"))) {
            assertEquals(List.of(bad), store.damagedObjects());
        }
    }
}
