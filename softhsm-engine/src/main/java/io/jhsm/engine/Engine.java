package io.jhsm.engine;

import io.jhsm.engine.config.Config;
import io.jhsm.engine.function.AuthenticatedWrapping;
import io.jhsm.engine.function.EncryptDigestSignCalls;
import io.jhsm.engine.function.Functions;
import io.jhsm.engine.function.MessageCalls;
import io.jhsm.engine.function.ModuleLifecycle;
import io.jhsm.engine.function.OperationStates;
import io.jhsm.engine.function.RandomCalls;
import io.jhsm.engine.function.SlotAndTokenCalls;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.token.TokenCounts;
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
import io.jhsm.pkcs11.Encapsulation;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.List;

/**
 * The simulated HSM behind the Cryptoki interface. This class only routes, by composition: each
 * PKCS#11 function goes to its family in {@code io.jhsm.engine.function} (slots and tokens, sessions
 * and login, objects, encrypt/digest/sign, key generation, wrap and derive, messages, KEM, random),
 * all sharing the module state that C_Initialize creates and C_Finalize discards.
 */
public final class Engine implements Cryptoki {
    private final RandomCalls random = new RandomCalls();
    private final OperationStates operationStates = new OperationStates();
    private final ModuleLifecycle lifecycle;

    /** The engine the C ABI loads: configured by {@code JHSM_CONF} at each C_Initialize. */
    public Engine() {
        this(null);
    }

    /** An engine with a fixed configuration (tests, embedding). */
    public Engine(Config config) {
        this.lifecycle = new ModuleLifecycle(config);
    }

    /** The crypto calls of the current initialisation; CKR_CRYPTOKI_NOT_INITIALIZED outside one. */
    private EncryptDigestSignCalls crypto() {
        return calls().crypto();
    }

    private MessageCalls messages() {
        return calls().messages();
    }

    private Functions calls() {
        return lifecycle.current();
    }

    /** The slot's keys as this application sees them (not a PKCS#11 call: an HSM's CloudWatch key metrics). */
    public TokenCounts counts(long slotId) {
        return calls().state().token(slotId).counts();
    }

    @Override
    public void C_Initialize(InitializeArgs args) {
        lifecycle.initialize(args);
    }

    @Override
    public void C_Finalize() {
        lifecycle.finish();
    }

    @Override
    public CkInfo C_GetInfo() {
        calls();
        return new CkInfo(Ck.CRYPTOKI_VERSION, SlotAndTokenCalls.MANUFACTURER, 0, "jhsm simulated HSM", SlotAndTokenCalls.VERSION);
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
        Functions c = calls();
        c.audit().initToken(c.state().token(slotId), soPin, () -> c.slots().initToken(slotId, soPin, label));
    }

    @Override
    public void C_InitPIN(long hSession, byte[] pin) {
        Functions c = calls();
        c.audit().pin(hSession, "CN_INIT_PIN", pin, () -> c.sessions().initPin(hSession, pin));
    }

    @Override
    public void C_SetPIN(long hSession, byte[] oldPin, byte[] newPin) {
        Functions c = calls();
        c.audit().pin(hSession, "CN_CHANGE_PSWD", newPin, () -> c.sessions().setPin(hSession, oldPin, newPin));
    }

    /** There are no removable tokens, so no slot event ever happens; a blocking wait ends with C_Finalize. */
    @Override
    public long C_WaitForSlotEvent(long flags) {
        return lifecycle.waitForSlotEvent(flags);
    }

    @Override
    public long C_OpenSession(long slotId, long flags) {
        return C_OpenSession(slotId, flags, false);
    }

    @Override
    public long C_OpenSession(long slotId, long flags, boolean notify) {
        return calls().sessions().open(slotId, flags, notify);
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
        return calls().sessions().validationFlags(hSession, type);
    }

    @Override
    public int C_GetOperationState(long hSession, byte[] state) {
        return operationStates.get(calls().state().sessionFor(hSession, "C_GetOperationState"), state);
    }

    @Override
    public void C_SetOperationState(long hSession, byte[] state, long hEncryptionKey, long hAuthenticationKey) {
        operationStates.set(calls().state().sessionFor(hSession, "C_SetOperationState"), state, hEncryptionKey, hAuthenticationKey);
    }

    @Override
    public void C_Login(long hSession, long userType, byte[] pin) {
        Functions c = calls();
        c.audit().login(hSession, userType, pin, () -> c.sessions().login(hSession, userType, pin));
    }

    @Override
    public void C_LoginUser(long hSession, long userType, byte[] pin, byte[] username) {
        C_Login(hSession, userType, calls().sessions().namedPin(hSession, pin, username));
    }

    @Override
    public void C_Logout(long hSession) {
        Functions c = calls();
        c.audit().logout(hSession, () -> c.sessions().logout(hSession));
    }

    /** PKCS#11 3.0: ends the session's operations named by the CKF_ flags (CKF_ENCRYPT, CKF_SIGN, CKF_FIND_OBJECTS …). */
    @Override
    public void C_SessionCancel(long hSession, long flags) {
        calls().sessions().cancel(hSession, flags);
    }

    @Override
    public long C_CreateObject(long hSession, List<Attribute> template) {
        Functions c = calls();
        return c.audit().key(hSession, "CN_CREATE_OBJECT", () -> c.objects().create(hSession, template));
    }

    @Override
    public long C_CopyObject(long hSession, long hObject, List<Attribute> template) {
        Functions c = calls();
        return c.audit().key(hSession, "CN_COPY_OBJECT", () -> c.objects().copy(hSession, hObject, template), hObject);
    }

    @Override
    public void C_DestroyObject(long hSession, long hObject) {
        Functions c = calls();
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
        Functions c = calls();
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

    // ---- encryption, decryption, digests, signatures, verification and the dual functions

    @Override
    public void C_EncryptInit(long hSession, Mechanism mechanism, long hKey) {
        crypto().init(hSession, OperationKind.ENCRYPT, mechanism, hKey, CKF.ENCRYPT, CKA.ENCRYPT,
                (impl, key) -> impl.encrypt(mechanism, key));
    }

    @Override
    public int C_Encrypt(long hSession, byte[] data, byte[] encryptedData) {
        return crypto().cipherOnce(hSession, OperationKind.ENCRYPT, data, encryptedData);
    }

    @Override
    public int C_EncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        return crypto().cipherUpdate(hSession, OperationKind.ENCRYPT, part, encryptedPart);
    }

    @Override
    public int C_EncryptFinal(long hSession, byte[] lastEncryptedPart) {
        return crypto().cipherFinal(hSession, OperationKind.ENCRYPT, lastEncryptedPart);
    }

    @Override
    public void C_DecryptInit(long hSession, Mechanism mechanism, long hKey) {
        crypto().init(hSession, OperationKind.DECRYPT, mechanism, hKey, CKF.DECRYPT, CKA.DECRYPT,
                (impl, key) -> impl.decrypt(mechanism, key));
    }

    @Override
    public int C_Decrypt(long hSession, byte[] encryptedData, byte[] data) {
        return crypto().cipherOnce(hSession, OperationKind.DECRYPT, encryptedData, data);
    }

    @Override
    public int C_DecryptUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        return crypto().cipherUpdate(hSession, OperationKind.DECRYPT, encryptedPart, part);
    }

    @Override
    public int C_DecryptFinal(long hSession, byte[] lastPart) {
        return crypto().cipherFinal(hSession, OperationKind.DECRYPT, lastPart);
    }

    @Override
    public void C_DigestInit(long hSession, Mechanism mechanism) {
        crypto().digestInit(hSession, mechanism);
    }

    @Override
    public int C_Digest(long hSession, byte[] data, byte[] digest) {
        return crypto().digestOnce(hSession, data, digest);
    }

    @Override
    public void C_DigestUpdate(long hSession, byte[] part) {
        crypto().digestUpdate(hSession, part);
    }

    @Override
    public void C_DigestKey(long hSession, long hKey) {
        crypto().digestKey(hSession, hKey);
    }

    @Override
    public int C_DigestEncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        return crypto().dualUpdate(hSession, OperationKind.ENCRYPT, OperationKind.DIGEST, part, encryptedPart);
    }

    @Override
    public int C_DecryptDigestUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        return crypto().dualUpdate(hSession, OperationKind.DECRYPT, OperationKind.DIGEST, encryptedPart, part);
    }

    @Override
    public int C_SignEncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        return crypto().dualUpdate(hSession, OperationKind.ENCRYPT, OperationKind.SIGN, part, encryptedPart);
    }

    @Override
    public int C_DecryptVerifyUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        return crypto().dualUpdate(hSession, OperationKind.DECRYPT, OperationKind.VERIFY, encryptedPart, part);
    }

    @Override
    public int C_DigestFinal(long hSession, byte[] digest) {
        return crypto().digestFinal(hSession, digest);
    }

    @Override
    public void C_SignInit(long hSession, Mechanism mechanism, long hKey) {
        crypto().init(hSession, OperationKind.SIGN, mechanism, hKey, CKF.SIGN, CKA.SIGN,
                (impl, key) -> impl.sign(mechanism, key));
    }

    @Override
    public int C_Sign(long hSession, byte[] data, byte[] signature) {
        return crypto().signOnce(hSession, data, signature);
    }

    @Override
    public void C_SignUpdate(long hSession, byte[] part) {
        crypto().signUpdate(hSession, part);
    }

    @Override
    public int C_SignFinal(long hSession, byte[] signature) {
        return crypto().signFinal(hSession, signature);
    }

    @Override
    public void C_SignRecoverInit(long hSession, Mechanism mechanism, long hKey) {
        crypto().init(hSession, OperationKind.SIGN_RECOVER, mechanism, hKey, CKF.SIGN_RECOVER, CKA.SIGN_RECOVER,
                (impl, key) -> impl.sign(mechanism, key));
    }

    @Override
    public int C_SignRecover(long hSession, byte[] data, byte[] signature) {
        return crypto().signOnce(hSession, OperationKind.SIGN_RECOVER, data, signature);
    }

    @Override
    public void C_VerifyRecoverInit(long hSession, Mechanism mechanism, long hKey) {
        crypto().init(hSession, OperationKind.VERIFY_RECOVER, mechanism, hKey, CKF.VERIFY_RECOVER,
                CKA.VERIFY_RECOVER, (impl, key) -> new EncryptDigestSignCalls.Recovery(impl, mechanism, key));
    }

    @Override
    public int C_VerifyRecover(long hSession, byte[] signature, byte[] data) {
        return crypto().verifyRecover(hSession, signature, data);
    }

    @Override
    public void C_VerifyInit(long hSession, Mechanism mechanism, long hKey) {
        crypto().init(hSession, OperationKind.VERIFY, mechanism, hKey, CKF.VERIFY, CKA.VERIFY,
                (impl, key) -> impl.verify(mechanism, key));
    }

    @Override
    public void C_Verify(long hSession, byte[] data, byte[] signature) {
        crypto().verifyOnce(hSession, data, signature);
    }

    @Override
    public void C_VerifyUpdate(long hSession, byte[] part) {
        crypto().verifyUpdate(hSession, part);
    }

    @Override
    public void C_VerifyFinal(long hSession, byte[] signature) {
        crypto().verifyFinal(hSession, signature);
    }

    @Override
    public void C_VerifySignatureInit(long hSession, Mechanism mechanism, long hKey, byte[] signature) {
        crypto().init(hSession, OperationKind.VERIFY_SIGNATURE, mechanism, hKey, CKF.VERIFY, CKA.VERIFY,
                (impl, key) -> EncryptDigestSignCalls.signatureFirst(impl.verify(mechanism, key), signature));
    }

    @Override
    public void C_VerifySignature(long hSession, byte[] data) {
        crypto().verifySignatureOnce(hSession, data);
    }

    @Override
    public void C_VerifySignatureUpdate(long hSession, byte[] part) {
        crypto().verifySignatureUpdate(hSession, part);
    }

    @Override
    public void C_VerifySignatureFinal(long hSession) {
        crypto().verifySignatureFinal(hSession);
    }


    // ---- key management

    @Override
    public long C_GenerateKey(long hSession, Mechanism mechanism, List<Attribute> template) {
        Functions c = calls();
        return c.audit().key(hSession, "CN_GENERATE_KEY", () -> c.keys().generateKey(hSession, mechanism, template));
    }

    @Override
    public long[] C_GenerateKeyPair(long hSession, Mechanism mechanism, List<Attribute> publicKeyTemplate,
                                    List<Attribute> privateKeyTemplate) {
        Functions c = calls();
        return c.audit().keys(hSession, "CN_GENERATE_KEY_PAIR",
                () -> c.keys().generateKeyPair(hSession, mechanism, publicKeyTemplate, privateKeyTemplate));
    }

    @Override
    public int C_WrapKey(long hSession, Mechanism mechanism, long hWrappingKey, long hKey, byte[] wrappedKey) {
        Functions c = calls();
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
        Functions c = calls();
        return c.audit().key(hSession, "CN_UNWRAP_KEY",
                () -> c.keyManagement().unwrap(hSession, mechanism, hUnwrappingKey, wrappedKey, template), hUnwrappingKey);
    }

    @Override
    public int C_WrapKeyAuthenticated(long hSession, Mechanism mechanism, long hWrappingKey, long hKey,
                                      byte[] associatedData, byte[] wrappedKey) {
        Functions c = calls();
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
        Functions c = calls();
        byte[] aad = AuthenticatedWrapping.required(associatedData);
        return c.audit().key(hSession, "CN_UNWRAP_KEY",
                () -> c.keyManagement().unwrap(hSession, mechanism, hUnwrappingKey, wrappedKey, template, aad), hUnwrappingKey);
    }

    @Override
    public long C_DeriveKey(long hSession, Mechanism mechanism, long hBaseKey, List<Attribute> template) {
        Functions c = calls();
        // Every key the call made is audited, the additional derived keys (SP 800-108) included.
        return c.audit().keys(hSession, "CN_DERIVE_KEY", () -> c.keyManagement().derive(hSession, mechanism, hBaseKey, template),
                hBaseKey)[0];
    }

    @Override
    public Encapsulation C_EncapsulateKey(long hSession, Mechanism mechanism, long hPublicKey, List<Attribute> template,
                                          byte[] ciphertext) {
        Functions c = calls();
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
        Functions c = calls();
        return c.audit().key(hSession, "CN_DECAPSULATE_KEY",
                () -> c.kem().decapsulate(hSession, mechanism, hPrivateKey, template, ciphertext), hPrivateKey);
    }

    // ---- PKCS#11 3.0 message-based functions

    @Override
    public void C_MessageEncryptInit(long hSession, Mechanism mechanism, long hKey) {
        messages().init(hSession, OperationKind.MESSAGE_ENCRYPT, mechanism, hKey);
    }

    @Override
    public int C_EncryptMessage(long hSession, MechanismParams parameter, byte[] associatedData, byte[] plaintext, byte[] ciphertext) {
        return messages().cryptMessage(hSession, OperationKind.MESSAGE_ENCRYPT, parameter, associatedData, plaintext, ciphertext);
    }

    @Override
    public void C_EncryptMessageBegin(long hSession, MechanismParams parameter, byte[] associatedData) {
        messages().cryptBegin(hSession, OperationKind.MESSAGE_ENCRYPT, parameter, associatedData);
    }

    @Override
    public int C_EncryptMessageNext(long hSession, MechanismParams parameter, byte[] plaintextPart, byte[] ciphertextPart, long flags) {
        return messages().cryptNext(hSession, OperationKind.MESSAGE_ENCRYPT, parameter, plaintextPart, ciphertextPart, flags);
    }

    @Override
    public void C_MessageEncryptFinal(long hSession) {
        messages().finish(hSession, OperationKind.MESSAGE_ENCRYPT);
    }

    @Override
    public void C_MessageDecryptInit(long hSession, Mechanism mechanism, long hKey) {
        messages().init(hSession, OperationKind.MESSAGE_DECRYPT, mechanism, hKey);
    }

    @Override
    public int C_DecryptMessage(long hSession, MechanismParams parameter, byte[] associatedData, byte[] ciphertext, byte[] plaintext) {
        return messages().cryptMessage(hSession, OperationKind.MESSAGE_DECRYPT, parameter, associatedData, ciphertext, plaintext);
    }

    @Override
    public void C_DecryptMessageBegin(long hSession, MechanismParams parameter, byte[] associatedData) {
        messages().cryptBegin(hSession, OperationKind.MESSAGE_DECRYPT, parameter, associatedData);
    }

    @Override
    public int C_DecryptMessageNext(long hSession, MechanismParams parameter, byte[] ciphertextPart, byte[] plaintextPart, long flags) {
        return messages().cryptNext(hSession, OperationKind.MESSAGE_DECRYPT, parameter, ciphertextPart, plaintextPart, flags);
    }

    @Override
    public void C_MessageDecryptFinal(long hSession) {
        messages().finish(hSession, OperationKind.MESSAGE_DECRYPT);
    }

    @Override
    public void C_MessageSignInit(long hSession, Mechanism mechanism, long hKey) {
        messages().init(hSession, OperationKind.MESSAGE_SIGN, mechanism, hKey);
    }

    @Override
    public int C_SignMessage(long hSession, MechanismParams parameter, byte[] data, byte[] signature) {
        return messages().signMessage(hSession, parameter, data, signature);
    }

    @Override
    public void C_SignMessageBegin(long hSession, MechanismParams parameter) {
        messages().signBegin(hSession, parameter);
    }

    @Override
    public int C_SignMessageNext(long hSession, MechanismParams parameter, byte[] dataPart, boolean last, byte[] signature) {
        return messages().signNext(hSession, parameter, dataPart, last, signature);
    }

    @Override
    public void C_MessageSignFinal(long hSession) {
        messages().finish(hSession, OperationKind.MESSAGE_SIGN);
    }

    @Override
    public void C_MessageVerifyInit(long hSession, Mechanism mechanism, long hKey) {
        messages().init(hSession, OperationKind.MESSAGE_VERIFY, mechanism, hKey);
    }

    @Override
    public void C_VerifyMessage(long hSession, MechanismParams parameter, byte[] data, byte[] signature) {
        messages().verifyMessage(hSession, parameter, data, signature);
    }

    @Override
    public void C_VerifyMessageBegin(long hSession, MechanismParams parameter) {
        messages().verifyBegin(hSession, parameter);
    }

    @Override
    public void C_VerifyMessageNext(long hSession, MechanismParams parameter, byte[] dataPart, byte[] signature) {
        messages().verifyNext(hSession, parameter, dataPart, signature);
    }

    @Override
    public void C_MessageVerifyFinal(long hSession) {
        messages().finish(hSession, OperationKind.MESSAGE_VERIFY);
    }

    // ---- random numbers

    /** The HSM's generator is self-seeding; caller seed material is mixed in, never replacing it. */
    @Override
    public void C_SeedRandom(long hSession, byte[] seed) {
        random.seed(calls().state(), hSession, seed);
    }

    @Override
    public void C_GenerateRandom(long hSession, byte[] randomData) {
        random.generate(calls().state(), hSession, randomData);
    }
}
