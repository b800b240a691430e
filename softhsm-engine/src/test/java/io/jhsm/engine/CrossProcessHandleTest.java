package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.Mechanism;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another process commits binds every call by handle here at once, not only the next search: a key it
 * destroyed, restricted or unshared is refused by this process's next C_EncryptInit, C_GetAttributeValue or
 * C_DestroyObject. The other process is a second JVM ({@link EngineChildProcess}) on the same token directory.
 * An operation initialised before the change may finish: PKCS#11 leaves that to the token, and jhsm keeps the
 * key as it was at C_*Init.
 */
class CrossProcessHandleTest {
    private static final byte[] DATA = new byte[16];

    @TempDir
    Path dir;
    EngineFixture f;
    long s;

    /** The default user's token AES key, just used here (so this process has it cached). */
    private long keyInUse() {
        f = new EngineFixture(dir).initialised();
        s = f.userSession();
        long key = tokenAesKey(f, s);
        encrypt(f, s, key);
        return key;
    }

    @Test
    void aKeyDestroyedByAnotherProcessIsInvalidHereAtOnce() throws Exception {
        long key = keyInUse();
        long other = f.rwSession();
        f.engine.C_EncryptInit(other, Mechanism.of(CKM.AES_ECB), key);

        assertTrue(EngineChildProcess.run(dir.toString(), "user-secret-1", "destroy", String.valueOf(key)));

        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), key));
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> f.engine.C_GetAttributeValue(s, key, new long[] {CKA.LABEL}));
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> f.engine.C_DestroyObject(s, key));
        assertEquals(16, f.engine.C_Encrypt(other, DATA, new byte[16]), "an operation begun before may finish");
    }

    @Test
    void encryptTurnedOffByAnotherProcessIsNotPermittedHereAtOnce() throws Exception {
        long key = keyInUse();

        assertTrue(EngineChildProcess.run(dir.toString(), "user-secret-1", "disable-encrypt", String.valueOf(key)));

        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), key));
    }

    @Test
    void aKeyItsOwnerUnsharedInAnotherProcessIsGoneForTheSharedUserHereAtOnce() throws Exception {
        f = new EngineFixture(dir).initialised().withUsers("alice:alice-password", "bob:bob-password");
        s = f.rwSession();
        f.engine.C_Login(s, CKU.USER, bytes("alice:alice-password"));
        long key = tokenAesKey(f, s);
        f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(JhsmAttributes.SHARED_WITH,
                KeyPolicy.encode(new LinkedHashSet<>(List.of("bob"))))));
        f.engine.C_Logout(s);
        f.engine.C_Login(s, CKU.USER, bytes("bob:bob-password"));
        encrypt(f, s, key);

        assertTrue(EngineChildProcess.run(dir.toString(), "alice:alice-password", "unshare", String.valueOf(key)));

        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), key));
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> f.engine.C_GetAttributeValue(s, key, new long[] {CKA.LABEL}));
    }

    private static long tokenAesKey(EngineFixture f, long s) {
        return f.aesKey(s, Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.LABEL, "shared"));
    }

    private static void encrypt(EngineFixture f, long s, long key) {
        f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), key);
        assertEquals(16, f.engine.C_Encrypt(s, DATA, new byte[16]));
        f.engine.C_GetAttributeValue(s, key, new long[] {CKA.LABEL});
    }
}
