package io.jhsm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.engine.config.Config;
import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.engine.profile.TokenProfile;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** A fresh engine over a temporary token directory, with an initialised token and user PIN. */
final class EngineFixture {
    static final byte[] SO_PIN = bytes("so-secret-1");
    static final byte[] USER_PIN = bytes("user-secret-1");

    final Path directory;
    final Engine engine;

    EngineFixture(Path directory) {
        this(new Config(directory, 1));
    }

    /** An engine whose configuration names this key policy (JHSM_CONF's {@code key-policy}). */
    EngineFixture(Path directory, KeyPolicyMode keyPolicy) {
        this(new Config(directory, 1, keyPolicy));
    }

    EngineFixture(Config config) {
        this.directory = config.directory();
        this.engine = started(config);
    }

    static Engine started(Path directory) {
        return started(new Config(directory, 1));
    }

    static Engine started(Path directory, KeyPolicyMode keyPolicy) {
        return started(new Config(directory, 1, keyPolicy));
    }

    /**
     * An engine over a cluster's directory as jhsm's CLI sees it (its KeySession always runs the pkcs11 profile):
     * the management path, where C_SetPIN activates the admin, C_InitPIN creates users and C_SetAttributeValue is
     * {@code jhsm key set-attribute}. An application's engine on a cluster has the cloudhsm profile, which refuses those.
     */
    static Engine managementPath(Path directory) {
        return started(new Config(directory, 1).withProfile(TokenProfile.PKCS11));
    }

    /** An engine under {@code profile} over a token initialised here (through the pkcs11 profile, which allows C_InitToken). */
    static Engine initialisedUnder(Path directory, TokenProfile profile) {
        new EngineFixture(directory).initialised().engine.C_Finalize();
        return started(new Config(directory, 1).withProfile(profile));
    }

    /** A read/write session of the engine, the default crypto user logged in. */
    static long userSession(Engine e) {
        long s = e.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        e.C_Login(s, CKU.USER, USER_PIN);
        return s;
    }

    static Engine started(Config config) {
        Engine e = new Engine(config);
        e.C_Initialize(InitializeArgs.NONE);
        return e;
    }

    /**
     * An initialised token opened with this profile. It is initialised under pkcs11 first, as a CloudHSM
     * application never initialises its token (the cluster comes initialised); the caller finalises the engine.
     */
    static EngineFixture initialisedWithProfile(Path directory, io.jhsm.engine.profile.TokenProfile profile) {
        new EngineFixture(directory).initialised().engine.C_Finalize();
        return new EngineFixture(new Config(directory, 1).withProfile(profile));
    }

    /** Initialises the token and the default crypto user's PIN. */
    EngineFixture initialised() {
        engine.C_InitToken(0, SO_PIN, label("test token"));
        long s = engine.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        engine.C_Login(s, CKU.SO, SO_PIN);
        engine.C_InitPIN(s, USER_PIN);
        engine.C_CloseSession(s);
        return this;
    }

    /** Creates crypto users, each given as name:password, as the SO does with C_InitPIN. */
    EngineFixture withUsers(String... pins) {
        long s = rwSession();
        engine.C_Login(s, CKU.SO, SO_PIN);
        for (String pin : pins) {
            engine.C_InitPIN(s, bytes(pin));
        }
        engine.C_CloseSession(s);
        return this;
    }

    long rwSession() {
        return engine.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
    }

    long roSession() {
        return engine.C_OpenSession(0, CKF.SERIAL_SESSION);
    }

    long userSession() {
        long s = rwSession();
        engine.C_Login(s, CKU.USER, USER_PIN);
        return s;
    }

    long aesKey(long session, Attribute... extra) {
        List<Attribute> t = new ArrayList<>(List.of(
                Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.VALUE, new byte[16])));
        t.addAll(Arrays.asList(extra));
        return engine.C_CreateObject(session, t);
    }

    static byte[] label(String s) {
        byte[] l = new byte[32];
        Arrays.fill(l, (byte) ' ');
        byte[] b = bytes(s);
        System.arraycopy(b, 0, l, 0, b.length);
        return l;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** How many secret keys the session sees: the tests that check a refused call made no key count them. */
    int secretTokenCounts(long session) {
        engine.C_FindObjectsInit(session, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY)));
        int n = engine.C_FindObjects(session, 1000).length;
        engine.C_FindObjectsFinal(session);
        return n;
    }

    static void assertRv(long rv, Executable call) {
        CkException e = assertThrows(CkException.class, call);
        assertEquals(io.jhsm.pkcs11.CKR.name(rv), io.jhsm.pkcs11.CKR.name(e.rv()), e.getMessage());
    }
}
