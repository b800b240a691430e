package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.SO_PIN;
import static io.jhsm.engine.EngineFixture.USER_PIN;
import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.config.Config;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionAndLoginRulesTest {
    @TempDir
    Path dir;

    @Test
    void everyCallBeforeInitializeIsNotInitialized() {
        Engine e = new Engine(new Config(dir, 1));
        assertRv(CKR.CRYPTOKI_NOT_INITIALIZED, e::C_GetInfo);
        assertRv(CKR.CRYPTOKI_NOT_INITIALIZED, () -> e.C_GetSlotList(true));
        assertRv(CKR.CRYPTOKI_NOT_INITIALIZED, e::C_Finalize);
        e.C_Initialize(InitializeArgs.NONE);
        assertRv(CKR.CRYPTOKI_ALREADY_INITIALIZED, () -> e.C_Initialize(InitializeArgs.NONE));
    }

    @Test
    void uninitialisedTokenIsNotRecognisedUntilInitToken() {
        EngineFixture f = new EngineFixture(dir);
        assertEquals(0, f.engine.C_GetTokenInfo(0).flags() & CKF.TOKEN_INITIALIZED);
        assertRv(CKR.TOKEN_NOT_RECOGNIZED, f::rwSession);
        f.initialised();
        assertTrue((f.engine.C_GetTokenInfo(0).flags() & CKF.USER_PIN_INITIALIZED) != 0);
        assertEquals("test token", f.engine.C_GetTokenInfo(0).label());
    }

    @Test
    void sessionStatesFollowLoginAndReadWriteFlag() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long ro = f.roSession();
        long rw = f.rwSession();
        assertEquals(CKS.RO_PUBLIC_SESSION, f.engine.C_GetSessionInfo(ro).state());
        assertEquals(CKS.RW_PUBLIC_SESSION, f.engine.C_GetSessionInfo(rw).state());
        f.engine.C_Login(ro, CKU.USER, USER_PIN);
        assertEquals(CKS.RO_USER_FUNCTIONS, f.engine.C_GetSessionInfo(ro).state());
        assertEquals(CKS.RW_USER_FUNCTIONS, f.engine.C_GetSessionInfo(rw).state());
        f.engine.C_Logout(rw);
        assertEquals(CKS.RO_PUBLIC_SESSION, f.engine.C_GetSessionInfo(ro).state());
    }

    @Test
    void loginIsSharedAndRefusedTwice() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long a = f.rwSession();
        long b = f.rwSession();
        f.engine.C_Login(a, CKU.USER, USER_PIN);
        assertRv(CKR.USER_ALREADY_LOGGED_IN, () -> f.engine.C_Login(b, CKU.USER, USER_PIN));
        assertRv(CKR.USER_ANOTHER_ALREADY_LOGGED_IN, () -> f.engine.C_Login(b, CKU.SO, SO_PIN));
        f.engine.C_Logout(b);
        assertRv(CKR.USER_NOT_LOGGED_IN, () -> f.engine.C_Logout(a));
    }

    @Test
    void officerCannotLogInWhileReadOnlySessionsExist() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long rw = f.rwSession();
        f.roSession();
        assertRv(CKR.SESSION_READ_ONLY_EXISTS, () -> f.engine.C_Login(rw, CKU.SO, SO_PIN));
    }

    @Test
    void readOnlySessionRefusedWhileOfficerLoggedIn() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long rw = f.rwSession();
        f.engine.C_Login(rw, CKU.SO, SO_PIN);
        assertEquals(CKS.RW_SO_FUNCTIONS, f.engine.C_GetSessionInfo(rw).state());
        assertRv(CKR.SESSION_READ_WRITE_SO_EXISTS, f::roSession);
    }

    @Test
    void userLoginBeforeInitPinIsPinNotInitialized() {
        EngineFixture f = new EngineFixture(dir);
        f.engine.C_InitToken(0, SO_PIN, EngineFixture.label("t"));
        long s = f.rwSession();
        assertRv(CKR.USER_PIN_NOT_INITIALIZED, () -> f.engine.C_Login(s, CKU.USER, USER_PIN));
    }

    @Test
    void wrongPinIsIncorrectAndFiveFailuresLockTheUser() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.rwSession();
        for (int i = 0; i < 4; i++) {
            assertRv(CKR.PIN_INCORRECT, () -> f.engine.C_Login(s, CKU.USER, bytes("wrong-pin")));
        }
        assertTrue((f.engine.C_GetTokenInfo(0).flags() & CKF.USER_PIN_FINAL_TRY) != 0);
        assertRv(CKR.PIN_LOCKED, () -> f.engine.C_Login(s, CKU.USER, bytes("wrong-pin")));
        assertRv(CKR.PIN_LOCKED, () -> f.engine.C_Login(s, CKU.USER, USER_PIN));
        assertTrue((f.engine.C_GetTokenInfo(0).flags() & CKF.USER_PIN_LOCKED) != 0);
    }

    @Test
    void lockoutSurvivesRestart() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.rwSession();
        for (int i = 0; i < 5; i++) {
            try {
                f.engine.C_Login(s, CKU.USER, bytes("wrong-pin"));
            } catch (io.jhsm.pkcs11.CkException expected) {
                // counting failures
            }
        }
        f.engine.C_Finalize();
        Engine again = EngineFixture.started(dir);
        long s2 = again.C_OpenSession(0, CKF.SERIAL_SESSION);
        assertRv(CKR.PIN_LOCKED, () -> again.C_Login(s2, CKU.USER, USER_PIN));
    }

    @Test
    void setPinChangesThePinAndNeedsReadWrite() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long ro = f.roSession();
        assertRv(CKR.SESSION_READ_ONLY, () -> f.engine.C_SetPIN(ro, USER_PIN, bytes("new-secret-2")));
        long rw = f.userSession();
        f.engine.C_SetPIN(rw, USER_PIN, bytes("new-secret-2"));
        f.engine.C_Logout(rw);
        assertRv(CKR.PIN_INCORRECT, () -> f.engine.C_Login(rw, CKU.USER, USER_PIN));
        f.engine.C_Login(rw, CKU.USER, bytes("new-secret-2"));
        assertRv(CKR.PIN_LEN_RANGE, () -> f.engine.C_SetPIN(rw, bytes("new-secret-2"), bytes("12")));
    }

    @Test
    void namedUsersLogInWithNameColonPassword() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.rwSession();
        f.engine.C_Login(s, CKU.SO, SO_PIN);
        f.engine.C_InitPIN(s, bytes("alice:alice-password"));
        f.engine.C_Logout(s);
        f.engine.C_Login(s, CKU.USER, bytes("alice:alice-password"));
        f.engine.C_Logout(s);
        assertRv(CKR.PIN_INCORRECT, () -> f.engine.C_Login(s, CKU.USER, bytes("alice:" + new String(USER_PIN))));
    }

    @Test
    void initPinNeedsTheOfficer() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        assertRv(CKR.USER_NOT_LOGGED_IN, () -> f.engine.C_InitPIN(s, bytes("another-pin")));
    }

    @Test
    void closingTheLastSessionLogsOut() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        f.engine.C_CloseSession(s);
        long t = f.roSession();
        assertEquals(CKS.RO_PUBLIC_SESSION, f.engine.C_GetSessionInfo(t).state());
        assertRv(CKR.SESSION_HANDLE_INVALID, () -> f.engine.C_GetSessionInfo(s));
    }

    @Test
    void initTokenRefusedWithOpenSessionsAndChecksTheSoPin() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.rwSession();
        assertRv(CKR.SESSION_EXISTS, () -> f.engine.C_InitToken(0, SO_PIN, EngineFixture.label("x")));
        f.engine.C_CloseSession(s);
        assertRv(CKR.PIN_INCORRECT, () -> f.engine.C_InitToken(0, bytes("not-the-so-pin"), EngineFixture.label("x")));
        f.engine.C_InitToken(0, SO_PIN, EngineFixture.label("again"));
        assertEquals(0, f.engine.C_GetTokenInfo(0).flags() & CKF.USER_PIN_INITIALIZED);
    }

    @Test
    void serialSessionFlagIsRequired() {
        EngineFixture f = new EngineFixture(dir).initialised();
        assertRv(CKR.SESSION_PARALLEL_NOT_SUPPORTED, () -> f.engine.C_OpenSession(0, CKF.RW_SESSION));
        assertRv(CKR.SLOT_ID_INVALID, () -> f.engine.C_OpenSession(7, CKF.SERIAL_SESSION));
        assertNotEquals(f.rwSession(), f.rwSession());
    }

    @Test
    void alwaysAuthenticateKeyNeedsAContextSpecificLoginPerOperation() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_Login(s, CKU.CONTEXT_SPECIFIC, USER_PIN));
        long[] pair = f.engine.C_GenerateKeyPair(s, io.jhsm.pkcs11.Mechanism.of(io.jhsm.pkcs11.CKM.EC_KEY_PAIR_GEN),
                java.util.List.of(io.jhsm.pkcs11.Attribute.of(io.jhsm.pkcs11.CKA.EC_PARAMS,
                        new byte[] {6, 8, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 3, 1, 7})),
                java.util.List.of(io.jhsm.pkcs11.Attribute.of(io.jhsm.pkcs11.CKA.ALWAYS_AUTHENTICATE, true)));
        io.jhsm.pkcs11.Mechanism ecdsa = io.jhsm.pkcs11.Mechanism.of(io.jhsm.pkcs11.CKM.ECDSA);
        f.engine.C_SignInit(s, ecdsa, pair[1]);
        assertRv(CKR.USER_NOT_LOGGED_IN, () -> f.engine.C_Sign(s, new byte[32], new byte[64]));
        f.engine.C_SignInit(s, ecdsa, pair[1]);
        assertRv(CKR.PIN_INCORRECT, () -> f.engine.C_Login(s, CKU.CONTEXT_SPECIFIC, bytes("wrong-pin")));
        f.engine.C_Login(s, CKU.CONTEXT_SPECIFIC, USER_PIN);
        org.junit.jupiter.api.Assertions.assertEquals(64, f.engine.C_Sign(s, new byte[32], new byte[64]));
        f.engine.C_SignInit(s, ecdsa, pair[1]);
        assertRv(CKR.USER_NOT_LOGGED_IN, () -> f.engine.C_Sign(s, new byte[32], new byte[64]));
    }
}
