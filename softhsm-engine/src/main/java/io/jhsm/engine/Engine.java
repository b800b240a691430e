package io.jhsm.engine;

import io.jhsm.engine.mechanism.MechanismRegistry;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.session.Session;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.pkcs11.Ck;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.CkInfo;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.CkSessionInfo;
import io.jhsm.pkcs11.CkSlotInfo;
import io.jhsm.pkcs11.CkTokenInfo;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.pkcs11.Encapsulation;
import io.jhsm.pkcs11.Mechanism;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The simulated HSM behind the Cryptoki interface. This class only routes: each family of
 * functions lives in its own class (slots, sessions, objects, crypto, keys), all sharing the
 * module state that C_Initialize creates and C_Finalize discards.
 */
public final class Engine extends CryptoFunctions {
    private final Object lifecycle = new Object();
    private final SecureRandom random = newRandom();
    private final Config fixedConfig;
    private final OperationStates operationStates = new OperationStates();
    private volatile Calls calls;

    /** The engine the C ABI loads: configured by {@code JHSM_CONF} at each C_Initialize. */
    public Engine() {
        this(null);
    }

    /** An engine with a fixed configuration (tests, embedding). */
    public Engine(Config config) {
        this.fixedConfig = config;
    }

    /** The per-initialisation state and the call families over it. */
    private record Calls(ModuleState state, SlotCalls slots, SessionCalls sessions, ObjectCalls objects,
                         CryptoCalls crypto, KeyCalls keys, KeyManagementCalls keyManagement, MessageCalls messages,
                         KemCalls kem, AuditHooks audit) {
        static Calls of(ModuleState s) {
            CryptoCalls crypto = new CryptoCalls(s);
            return new Calls(s, new SlotCalls(s), new SessionCalls(s), new ObjectCalls(s), crypto, new KeyCalls(s, crypto),
                    new KeyManagementCalls(s, crypto), new MessageCalls(s, crypto), new KemCalls(s, crypto), new AuditHooks(s));
        }
    }

    @Override
    CryptoCalls crypto() {
        return calls().crypto();
    }

    @Override
    MessageCalls messages() {
        return calls().messages();
    }

    private Calls calls() {
        Calls c = calls;
        if (c == null) {
            throw new CkException(CKR.CRYPTOKI_NOT_INITIALIZED);
        }
        return c;
    }

    @Override
    public void C_Initialize(InitializeArgs args) {
        if (args != null && args.reservedNonNull()) {
            throw new CkException(CKR.ARGUMENTS_BAD, "pReserved must be NULL");
        }
        synchronized (lifecycle) {
            if (calls != null) {
                throw new CkException(CKR.CRYPTOKI_ALREADY_INITIALIZED);
            }
            Config config = fixedConfig != null ? fixedConfig : Config.fromEnvironment();
            calls = Calls.of(new ModuleState(config, MechanismRegistry.of(config.legacyAlgorithms())));
        }
    }

    @Override
    public void C_Finalize() {
        synchronized (lifecycle) {
            Calls c = calls();
            calls = null;
            c.state().shutdown();
            c.audit().close();
            lifecycle.notifyAll();
        }
    }

    @Override
    public CkInfo C_GetInfo() {
        calls();
        return new CkInfo(Ck.CRYPTOKI_VERSION, SlotCalls.MANUFACTURER, 0, "jhsm simulated HSM", SlotCalls.VERSION);
    }

    @Override
    public long[] C_GetSlotList(boolean tokenPresent) {
        return calls().slots().slotList();
    }

    @Override
    public CkSlotInfo C_GetSlotInfo(long slotId) {
        return calls().slots().slotInfo(slotId);
    }

    @Override
    public CkTokenInfo C_GetTokenInfo(long slotId) {
        return calls().slots().tokenInfo(slotId);
    }

    @Override
    public long[] C_GetMechanismList(long slotId) {
        return calls().slots().mechanismList(slotId);
    }

    @Override
    public CkMechanismInfo C_GetMechanismInfo(long slotId, long type) {
        return calls().slots().mechanismInfo(slotId, type);
    }

    @Override
    public void C_InitToken(long slotId, byte[] soPin, byte[] label) {
        Calls c = calls();
        c.audit().initToken(c.state().token(slotId), soPin, () -> c.slots().initToken(slotId, soPin, label));
    }

    @Override
    public void C_InitPIN(long hSession, byte[] pin) {
        Calls c = calls();
        c.audit().pin(hSession, "CN_INIT_PIN", pin, () -> c.sessions().initPin(hSession, pin));
    }

    @Override
    public void C_SetPIN(long hSession, byte[] oldPin, byte[] newPin) {
        Calls c = calls();
        c.audit().pin(hSession, "CN_CHANGE_PSWD", newPin, () -> c.sessions().setPin(hSession, oldPin, newPin));
    }

    /** There are no removable tokens, so no slot event ever happens; a blocking wait ends with C_Finalize. */
    @Override
    public long C_WaitForSlotEvent(long flags) {
        calls();
        if ((flags & CKF.DONT_BLOCK) != 0) {
            throw new CkException(CKR.NO_EVENT);
        }
        synchronized (lifecycle) {
            while (calls != null) {
                try {
                    lifecycle.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new CkException(CKR.CRYPTOKI_NOT_INITIALIZED);
    }

    @Override
    public long C_OpenSession(long slotId, long flags) {
        return calls().sessions().open(slotId, flags);
    }

    @Override
    public void C_CloseSession(long hSession) {
        calls().sessions().close(hSession);
    }

    @Override
    public void C_CloseAllSessions(long slotId) {
        calls().sessions().closeAll(slotId);
    }

    @Override
    public CkSessionInfo C_GetSessionInfo(long hSession) {
        return calls().state().session(hSession).info();
    }

    /** jhsm holds no validation (no FIPS 140 or Common Criteria certificate): no operation satisfies one. */
    @Override
    public long C_GetSessionValidationFlags(long hSession, long type) {
        calls().state().session(hSession);
        if (type != CKS.LAST_VALIDATION_OK) {
            throw new CkException(CKR.ARGUMENTS_BAD, "unknown validation flags type " + type);
        }
        return 0;
    }

    @Override
    public int C_GetOperationState(long hSession, byte[] state) {
        return operationStates.get(calls().state().session(hSession), state);
    }

    @Override
    public void C_SetOperationState(long hSession, byte[] state, long hEncryptionKey, long hAuthenticationKey) {
        operationStates.set(calls().state().session(hSession), state, hEncryptionKey, hAuthenticationKey);
    }

    @Override
    public void C_Login(long hSession, long userType, byte[] pin) {
        Calls c = calls();
        c.audit().login(hSession, userType, pin, () -> c.sessions().login(hSession, userType, pin));
    }

    @Override
    public void C_LoginUser(long hSession, long userType, byte[] pin, byte[] username) {
        if (username == null || pin == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no user name or PIN");
        }
        byte[] named = (new String(username, StandardCharsets.UTF_8) + ":" + new String(pin, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        C_Login(hSession, userType, named);
    }

    @Override
    public void C_Logout(long hSession) {
        Calls c = calls();
        c.audit().logout(hSession, () -> c.sessions().logout(hSession));
    }

    /** PKCS#11 3.0: ends the session's operations named by the CKF_ flags (CKF_ENCRYPT, CKF_SIGN, CKF_FIND_OBJECTS …). */
    @Override
    public void C_SessionCancel(long hSession, long flags) {
        Session s = calls().state().session(hSession);
        synchronized (s) {
            cancel(s, flags, CKF.ENCRYPT, OperationKind.ENCRYPT);
            cancel(s, flags, CKF.DECRYPT, OperationKind.DECRYPT);
            cancel(s, flags, CKF.DIGEST, OperationKind.DIGEST);
            cancel(s, flags, CKF.SIGN, OperationKind.SIGN);
            cancel(s, flags, CKF.VERIFY, OperationKind.VERIFY);
            cancel(s, flags, CKF.VERIFY, OperationKind.VERIFY_SIGNATURE);
            cancel(s, flags, CKF.SIGN_RECOVER, OperationKind.SIGN_RECOVER);
            cancel(s, flags, CKF.VERIFY_RECOVER, OperationKind.VERIFY_RECOVER);
            cancel(s, flags, CKF.FIND_OBJECTS, OperationKind.FIND);
            cancel(s, flags, CKF.MESSAGE_ENCRYPT, OperationKind.MESSAGE_ENCRYPT);
            cancel(s, flags, CKF.MESSAGE_DECRYPT, OperationKind.MESSAGE_DECRYPT);
            cancel(s, flags, CKF.MESSAGE_SIGN, OperationKind.MESSAGE_SIGN);
            cancel(s, flags, CKF.MESSAGE_VERIFY, OperationKind.MESSAGE_VERIFY);
        }
    }

    private static void cancel(Session s, long flags, long flag, OperationKind kind) {
        if ((flags & flag) != 0) {
            try {
                s.active(kind).end();
            } catch (CkException notActive) {
                // nothing to cancel of this kind
            }
        }
    }

    @Override
    public long C_CreateObject(long hSession, List<Attribute> template) {
        Calls c = calls();
        return c.audit().key(hSession, "CN_CREATE_OBJECT", () -> c.objects().create(hSession, template));
    }

    @Override
    public long C_CopyObject(long hSession, long hObject, List<Attribute> template) {
        Calls c = calls();
        return c.audit().key(hSession, "CN_COPY_OBJECT", () -> c.objects().copy(hSession, hObject, template), hObject);
    }

    @Override
    public void C_DestroyObject(long hSession, long hObject) {
        Calls c = calls();
        c.audit().run(hSession, "CN_DESTROY_OBJECT", () -> c.objects().destroy(hSession, hObject), hObject);
    }

    @Override
    public long C_GetObjectSize(long hSession, long hObject) {
        return calls().objects().size(hSession, hObject);
    }

    @Override
    public List<AttributeReading> C_GetAttributeValue(long hSession, long hObject, long[] types) {
        return calls().objects().getAttributes(hSession, hObject, types);
    }

    @Override
    public void C_SetAttributeValue(long hSession, long hObject, List<Attribute> template) {
        Calls c = calls();
        c.audit().run(hSession, "CN_SET_ATTRIBUTE_VALUE", () -> c.objects().setAttributes(hSession, hObject, template), hObject);
    }

    @Override
    public void C_FindObjectsInit(long hSession, List<Attribute> template) {
        calls().objects().findInit(hSession, template);
    }

    @Override
    public long[] C_FindObjects(long hSession, int maxObjectCount) {
        return calls().objects().find(hSession, maxObjectCount);
    }

    @Override
    public void C_FindObjectsFinal(long hSession) {
        calls().objects().findFinal(hSession);
    }

    @Override
    public long C_GenerateKey(long hSession, Mechanism mechanism, List<Attribute> template) {
        Calls c = calls();
        return c.audit().key(hSession, "CN_GENERATE_KEY", () -> c.keys().generateKey(hSession, mechanism, template));
    }

    @Override
    public long[] C_GenerateKeyPair(long hSession, Mechanism mechanism, List<Attribute> publicKeyTemplate,
                                    List<Attribute> privateKeyTemplate) {
        Calls c = calls();
        return c.audit().keys(hSession, "CN_GENERATE_KEY_PAIR",
                () -> c.keys().generateKeyPair(hSession, mechanism, publicKeyTemplate, privateKeyTemplate));
    }

    @Override
    public int C_WrapKey(long hSession, Mechanism mechanism, long hWrappingKey, long hKey, byte[] wrappedKey) {
        Calls c = calls();
        if (wrappedKey == null) {
            // A length query exports nothing: not an audited event.
            return c.keyManagement().wrap(hSession, mechanism, hWrappingKey, hKey, null);
        }
        return c.audit().wrap(hSession, () -> c.keyManagement().wrap(hSession, mechanism, hWrappingKey, hKey, wrappedKey),
                hWrappingKey, hKey);
    }

    @Override
    public long C_UnwrapKey(long hSession, Mechanism mechanism, long hUnwrappingKey, byte[] wrappedKey,
                            List<Attribute> template) {
        Calls c = calls();
        return c.audit().key(hSession, "CN_UNWRAP_KEY",
                () -> c.keyManagement().unwrap(hSession, mechanism, hUnwrappingKey, wrappedKey, template), hUnwrappingKey);
    }

    @Override
    public int C_WrapKeyAuthenticated(long hSession, Mechanism mechanism, long hWrappingKey, long hKey,
                                      byte[] associatedData, byte[] wrappedKey) {
        Calls c = calls();
        byte[] aad = AuthenticatedWrapping.required(associatedData);
        if (wrappedKey == null) {
            return c.keyManagement().wrap(hSession, mechanism, hWrappingKey, hKey, aad, null);
        }
        return c.audit().wrap(hSession, () -> c.keyManagement().wrap(hSession, mechanism, hWrappingKey, hKey, aad, wrappedKey),
                hWrappingKey, hKey);
    }

    @Override
    public long C_UnwrapKeyAuthenticated(long hSession, Mechanism mechanism, long hUnwrappingKey, byte[] wrappedKey,
                                         List<Attribute> template, byte[] associatedData) {
        Calls c = calls();
        byte[] aad = AuthenticatedWrapping.required(associatedData);
        return c.audit().key(hSession, "CN_UNWRAP_KEY",
                () -> c.keyManagement().unwrap(hSession, mechanism, hUnwrappingKey, wrappedKey, template, aad), hUnwrappingKey);
    }

    @Override
    public long C_DeriveKey(long hSession, Mechanism mechanism, long hBaseKey, List<Attribute> template) {
        Calls c = calls();
        // Every key the call made is audited, the additional derived keys (SP 800-108) included.
        return c.audit().keys(hSession, "CN_DERIVE_KEY", () -> c.keyManagement().derive(hSession, mechanism, hBaseKey, template),
                hBaseKey)[0];
    }

    @Override
    public Encapsulation C_EncapsulateKey(long hSession, Mechanism mechanism, long hPublicKey, List<Attribute> template,
                                          byte[] ciphertext) {
        Calls c = calls();
        if (ciphertext == null) {
            // A length query creates no key: not an audited event.
            return c.kem().encapsulate(hSession, mechanism, hPublicKey, template, null);
        }
        Encapsulation[] result = new Encapsulation[1];
        c.audit().key(hSession, "CN_ENCAPSULATE_KEY", () -> {
            result[0] = c.kem().encapsulate(hSession, mechanism, hPublicKey, template, ciphertext);
            return result[0].hKey();
        }, hPublicKey);
        return result[0];
    }

    @Override
    public long C_DecapsulateKey(long hSession, Mechanism mechanism, long hPrivateKey, List<Attribute> template,
                                 byte[] ciphertext) {
        Calls c = calls();
        return c.audit().key(hSession, "CN_DECAPSULATE_KEY",
                () -> c.kem().decapsulate(hSession, mechanism, hPrivateKey, template, ciphertext), hPrivateKey);
    }

    // ---- PKCS#11 3.0 message-based functions (MessageCalls)

    /** The HSM's generator is self-seeding; caller seed material is mixed in, never replacing it. */
    @Override
    public void C_SeedRandom(long hSession, byte[] seed) {
        calls().state().session(hSession);
        if (seed == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no seed");
        }
        random.setSeed(seed);
    }

    @Override
    public void C_GenerateRandom(long hSession, byte[] randomData) {
        calls().state().session(hSession);
        if (randomData == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no buffer");
        }
        random.nextBytes(randomData);
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
