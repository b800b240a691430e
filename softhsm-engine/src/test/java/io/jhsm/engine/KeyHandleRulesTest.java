package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PKCS#11 5.1.5: CKR_KEY_HANDLE_INVALID covers "a valid handle for an object which is not a key", so a
 * data object given to an Init function is an invalid key handle, not a key whose usage flag is off.
 */
class KeyHandleRulesTest {
    @TempDir
    Path dir;

    private static long dataObject(EngineFixture f, long s) {
        return f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.DATA),
                Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.LABEL, "not a key")));
    }

    @Test
    void aDataObjectGivenAsTheKeyOfAnInitFunctionIsAnInvalidKeyHandle() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        long data = dataObject(f, s);
        Mechanism ecb = Mechanism.of(CKM.AES_ECB);
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_EncryptInit(s, ecb, data));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_DecryptInit(s, ecb, data));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), data));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_VerifyInit(s, Mechanism.of(CKM.SHA256_HMAC), data));
    }

    @Test
    void aDataObjectIsAnInvalidKeyHandleForDigestKeyWrapUnwrapAndTheKems() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        long data = dataObject(f, s);
        long key = f.aesKey(s, Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.EXTRACTABLE, true));
        Mechanism wrap = Mechanism.of(CKM.AES_KEY_WRAP);
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_DigestKey(s, data));
        assertRv(CKR.WRAPPING_KEY_HANDLE_INVALID, () -> f.engine.C_WrapKey(s, wrap, data, key, new byte[64]));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_WrapKey(s, wrap, key, data, new byte[64]));
        assertRv(CKR.UNWRAPPING_KEY_HANDLE_INVALID, () -> f.engine.C_UnwrapKey(s, wrap, data, new byte[40],
                List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY))));
        Mechanism kem = Mechanism.of(CKM.ML_KEM);
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_EncapsulateKey(s, kem, data, List.of(), new byte[1568]));
        assertRv(CKR.UNWRAPPING_KEY_HANDLE_INVALID, () -> f.engine.C_DecapsulateKey(s, kem, data, List.of(), new byte[768]));
    }

    @Test
    void aKeyWithoutTheUsageFlagStillAnswersKeyFunctionNotPermitted() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        long key = f.aesKey(s, Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.DECRYPT, false));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_DecryptInit(s, Mechanism.of(CKM.AES_ECB), key));
    }
}
