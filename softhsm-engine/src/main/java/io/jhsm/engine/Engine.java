package io.jhsm.engine;

import io.jhsm.engine.mechanism.MechanismRegistry;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.session.Session;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Ck;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.CkInfo;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.CkSessionInfo;
import io.jhsm.pkcs11.CkSlotInfo;
import io.jhsm.pkcs11.CkTokenInfo;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The simulated HSM behind the Cryptoki interface. This class only routes: each family of
 * functions lives in its own class (slots, sessions, objects, crypto, keys), all sharing the
 * module state that C_Initialize creates and C_Finalize discards.
 */
public final class Engine implements Cryptoki {
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
                         CryptoCalls crypto, KeyCalls keys, KeyManagementCalls keyManagement, MessageCalls messages) {
        static Calls of(ModuleState s) {
            CryptoCalls crypto = new CryptoCalls(s);
            return new Calls(s, new SlotCalls(s), new SessionCalls(s), new ObjectCalls(s), crypto, new KeyCalls(s, crypto),
                    new KeyManagementCalls(s, crypto), new MessageCalls(s, crypto));
        }
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
            calls = Calls.of(new ModuleState(config, MechanismRegistry.standard()));
        }
    }

    @Override
    public void C_Finalize() {
        synchronized (lifecycle) {
            Calls c = calls();
            calls = null;
            c.state().shutdown();
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
        calls().slots().initToken(slotId, soPin, label);
    }

    @Override
    public void C_InitPIN(long hSession, byte[] pin) {
        calls().sessions().initPin(hSession, pin);
    }

    @Override
    public void C_SetPIN(long hSession, byte[] oldPin, byte[] newPin) {
        calls().sessions().setPin(hSession, oldPin, newPin);
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
        calls().sessions().login(hSession, userType, pin);
    }

    @Override
    public void C_LoginUser(long hSession, long userType, byte[] pin, byte[] username) {
        if (username == null || pin == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no user name or PIN");
        }
        byte[] named = (new String(username, StandardCharsets.UTF_8) + ":" + new String(pin, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        calls().sessions().login(hSession, userType, named);
    }

    @Override
    public void C_Logout(long hSession) {
        calls().sessions().logout(hSession);
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
        return calls().objects().create(hSession, template);
    }

    @Override
    public long C_CopyObject(long hSession, long hObject, List<Attribute> template) {
        return calls().objects().copy(hSession, hObject, template);
    }

    @Override
    public void C_DestroyObject(long hSession, long hObject) {
        calls().objects().destroy(hSession, hObject);
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
        calls().objects().setAttributes(hSession, hObject, template);
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
    public void C_EncryptInit(long hSession, Mechanism mechanism, long hKey) {
        calls().crypto().init(hSession, OperationKind.ENCRYPT, mechanism, hKey, CKF.ENCRYPT, CKA.ENCRYPT,
                (impl, key) -> impl.encrypt(mechanism, key));
    }

    @Override
    public int C_Encrypt(long hSession, byte[] data, byte[] encryptedData) {
        return calls().crypto().cipherOnce(hSession, OperationKind.ENCRYPT, data, encryptedData);
    }

    @Override
    public int C_EncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        return calls().crypto().cipherUpdate(hSession, OperationKind.ENCRYPT, part, encryptedPart);
    }

    @Override
    public int C_EncryptFinal(long hSession, byte[] lastEncryptedPart) {
        return calls().crypto().cipherFinal(hSession, OperationKind.ENCRYPT, lastEncryptedPart);
    }

    @Override
    public void C_DecryptInit(long hSession, Mechanism mechanism, long hKey) {
        calls().crypto().init(hSession, OperationKind.DECRYPT, mechanism, hKey, CKF.DECRYPT, CKA.DECRYPT,
                (impl, key) -> impl.decrypt(mechanism, key));
    }

    @Override
    public int C_Decrypt(long hSession, byte[] encryptedData, byte[] data) {
        return calls().crypto().cipherOnce(hSession, OperationKind.DECRYPT, encryptedData, data);
    }

    @Override
    public int C_DecryptUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        return calls().crypto().cipherUpdate(hSession, OperationKind.DECRYPT, encryptedPart, part);
    }

    @Override
    public int C_DecryptFinal(long hSession, byte[] lastPart) {
        return calls().crypto().cipherFinal(hSession, OperationKind.DECRYPT, lastPart);
    }

    @Override
    public void C_DigestInit(long hSession, Mechanism mechanism) {
        calls().crypto().digestInit(hSession, mechanism);
    }

    @Override
    public int C_Digest(long hSession, byte[] data, byte[] digest) {
        return calls().crypto().digestOnce(hSession, data, digest);
    }

    @Override
    public void C_DigestUpdate(long hSession, byte[] part) {
        calls().crypto().digestUpdate(hSession, part);
    }

    @Override
    public void C_DigestKey(long hSession, long hKey) {
        calls().crypto().digestKey(hSession, hKey);
    }

    @Override
    public int C_DigestEncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        return calls().crypto().dualUpdate(hSession, OperationKind.ENCRYPT, OperationKind.DIGEST, part, encryptedPart);
    }

    @Override
    public int C_DecryptDigestUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        return calls().crypto().dualUpdate(hSession, OperationKind.DECRYPT, OperationKind.DIGEST, encryptedPart, part);
    }

    @Override
    public int C_SignEncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        return calls().crypto().dualUpdate(hSession, OperationKind.ENCRYPT, OperationKind.SIGN, part, encryptedPart);
    }

    @Override
    public int C_DecryptVerifyUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        return calls().crypto().dualUpdate(hSession, OperationKind.DECRYPT, OperationKind.VERIFY, encryptedPart, part);
    }

    @Override
    public int C_DigestFinal(long hSession, byte[] digest) {
        return calls().crypto().digestFinal(hSession, digest);
    }

    @Override
    public void C_SignInit(long hSession, Mechanism mechanism, long hKey) {
        calls().crypto().init(hSession, OperationKind.SIGN, mechanism, hKey, CKF.SIGN, CKA.SIGN,
                (impl, key) -> impl.sign(mechanism, key));
    }

    @Override
    public int C_Sign(long hSession, byte[] data, byte[] signature) {
        return calls().crypto().signOnce(hSession, data, signature);
    }

    @Override
    public void C_SignUpdate(long hSession, byte[] part) {
        calls().crypto().signUpdate(hSession, part);
    }

    @Override
    public int C_SignFinal(long hSession, byte[] signature) {
        return calls().crypto().signFinal(hSession, signature);
    }

    @Override
    public void C_VerifyInit(long hSession, Mechanism mechanism, long hKey) {
        calls().crypto().init(hSession, OperationKind.VERIFY, mechanism, hKey, CKF.VERIFY, CKA.VERIFY,
                (impl, key) -> impl.verify(mechanism, key));
    }

    @Override
    public void C_Verify(long hSession, byte[] data, byte[] signature) {
        calls().crypto().verifyOnce(hSession, data, signature);
    }

    @Override
    public void C_VerifyUpdate(long hSession, byte[] part) {
        calls().crypto().verifyUpdate(hSession, part);
    }

    @Override
    public void C_VerifyFinal(long hSession, byte[] signature) {
        calls().crypto().verifyFinal(hSession, signature);
    }

    @Override
    public long C_GenerateKey(long hSession, Mechanism mechanism, List<Attribute> template) {
        return calls().keys().generateKey(hSession, mechanism, template);
    }

    @Override
    public long[] C_GenerateKeyPair(long hSession, Mechanism mechanism, List<Attribute> publicKeyTemplate,
                                    List<Attribute> privateKeyTemplate) {
        return calls().keys().generateKeyPair(hSession, mechanism, publicKeyTemplate, privateKeyTemplate);
    }

    @Override
    public int C_WrapKey(long hSession, Mechanism mechanism, long hWrappingKey, long hKey, byte[] wrappedKey) {
        return calls().keyManagement().wrap(hSession, mechanism, hWrappingKey, hKey, wrappedKey);
    }

    @Override
    public long C_UnwrapKey(long hSession, Mechanism mechanism, long hUnwrappingKey, byte[] wrappedKey,
                            List<Attribute> template) {
        return calls().keyManagement().unwrap(hSession, mechanism, hUnwrappingKey, wrappedKey, template);
    }

    @Override
    public long C_DeriveKey(long hSession, Mechanism mechanism, long hBaseKey, List<Attribute> template) {
        return calls().keyManagement().derive(hSession, mechanism, hBaseKey, template);
    }

    // ---- PKCS#11 3.0 message-based functions (MessageCalls)

    @Override
    public void C_MessageEncryptInit(long hSession, Mechanism mechanism, long hKey) {
        calls().messages().init(hSession, OperationKind.MESSAGE_ENCRYPT, mechanism, hKey);
    }

    @Override
    public int C_EncryptMessage(long hSession, MechanismParams parameter, byte[] associatedData, byte[] plaintext, byte[] ciphertext) {
        return calls().messages().cryptMessage(hSession, OperationKind.MESSAGE_ENCRYPT, parameter, associatedData, plaintext, ciphertext);
    }

    @Override
    public void C_EncryptMessageBegin(long hSession, MechanismParams parameter, byte[] associatedData) {
        calls().messages().cryptBegin(hSession, OperationKind.MESSAGE_ENCRYPT, parameter, associatedData);
    }

    @Override
    public int C_EncryptMessageNext(long hSession, MechanismParams parameter, byte[] plaintextPart, byte[] ciphertextPart, long flags) {
        return calls().messages().cryptNext(hSession, OperationKind.MESSAGE_ENCRYPT, parameter, plaintextPart, ciphertextPart, flags);
    }

    @Override
    public void C_MessageEncryptFinal(long hSession) {
        calls().messages().finish(hSession, OperationKind.MESSAGE_ENCRYPT);
    }

    @Override
    public void C_MessageDecryptInit(long hSession, Mechanism mechanism, long hKey) {
        calls().messages().init(hSession, OperationKind.MESSAGE_DECRYPT, mechanism, hKey);
    }

    @Override
    public int C_DecryptMessage(long hSession, MechanismParams parameter, byte[] associatedData, byte[] ciphertext, byte[] plaintext) {
        return calls().messages().cryptMessage(hSession, OperationKind.MESSAGE_DECRYPT, parameter, associatedData, ciphertext, plaintext);
    }

    @Override
    public void C_DecryptMessageBegin(long hSession, MechanismParams parameter, byte[] associatedData) {
        calls().messages().cryptBegin(hSession, OperationKind.MESSAGE_DECRYPT, parameter, associatedData);
    }

    @Override
    public int C_DecryptMessageNext(long hSession, MechanismParams parameter, byte[] ciphertextPart, byte[] plaintextPart, long flags) {
        return calls().messages().cryptNext(hSession, OperationKind.MESSAGE_DECRYPT, parameter, ciphertextPart, plaintextPart, flags);
    }

    @Override
    public void C_MessageDecryptFinal(long hSession) {
        calls().messages().finish(hSession, OperationKind.MESSAGE_DECRYPT);
    }

    @Override
    public void C_MessageSignInit(long hSession, Mechanism mechanism, long hKey) {
        calls().messages().init(hSession, OperationKind.MESSAGE_SIGN, mechanism, hKey);
    }

    @Override
    public int C_SignMessage(long hSession, MechanismParams parameter, byte[] data, byte[] signature) {
        return calls().messages().signMessage(hSession, parameter, data, signature);
    }

    @Override
    public void C_SignMessageBegin(long hSession, MechanismParams parameter) {
        calls().messages().signBegin(hSession, parameter);
    }

    @Override
    public int C_SignMessageNext(long hSession, MechanismParams parameter, byte[] dataPart, boolean last, byte[] signature) {
        return calls().messages().signNext(hSession, parameter, dataPart, last, signature);
    }

    @Override
    public void C_MessageSignFinal(long hSession) {
        calls().messages().finish(hSession, OperationKind.MESSAGE_SIGN);
    }

    @Override
    public void C_MessageVerifyInit(long hSession, Mechanism mechanism, long hKey) {
        calls().messages().init(hSession, OperationKind.MESSAGE_VERIFY, mechanism, hKey);
    }

    @Override
    public void C_VerifyMessage(long hSession, MechanismParams parameter, byte[] data, byte[] signature) {
        calls().messages().verifyMessage(hSession, parameter, data, signature);
    }

    @Override
    public void C_VerifyMessageBegin(long hSession, MechanismParams parameter) {
        calls().messages().verifyBegin(hSession, parameter);
    }

    @Override
    public void C_VerifyMessageNext(long hSession, MechanismParams parameter, byte[] dataPart, byte[] signature) {
        calls().messages().verifyNext(hSession, parameter, dataPart, signature);
    }

    @Override
    public void C_MessageVerifyFinal(long hSession) {
        calls().messages().finish(hSession, OperationKind.MESSAGE_VERIFY);
    }

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
