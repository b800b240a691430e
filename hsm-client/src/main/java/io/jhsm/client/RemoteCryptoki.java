package io.jhsm.client;

import static io.jhsm.client.Requests.crypt;
import static io.jhsm.client.Requests.init;
import static io.jhsm.client.Requests.session;
import static io.jhsm.client.Requests.sessionBytes;
import static io.jhsm.client.Requests.sessionNumber;
import static io.jhsm.client.Requests.sessionObject;
import static io.jhsm.client.Requests.sessionOutput;
import static io.jhsm.client.Requests.slot;
import static io.jhsm.client.Requests.template;
import static io.jhsm.protocol.WireBytes.of;

import io.grpc.ManagedChannel;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
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
import io.jhsm.protocol.Infos;
import io.jhsm.protocol.Templates;
import io.jhsm.protocol.v1.CopyObject;
import io.jhsm.protocol.v1.CreateObject;
import io.jhsm.protocol.v1.Empty;
import io.jhsm.protocol.v1.GetAttributeValue;
import io.jhsm.protocol.v1.GetMechanismInfo;
import io.jhsm.protocol.v1.GetSlotList;
import io.jhsm.protocol.v1.OpenSession;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.SessionTemplate;
import io.jhsm.protocol.v1.SetAttributeValue;
import io.jhsm.protocol.v1.SetOperationState;
import io.jhsm.protocol.v1.Verify;
import io.jhsm.protocol.v1.WaitForSlotEvent;
import java.util.List;
import java.util.function.Function;

/**
 * Cryptoki on a jhsm HSM node: each PKCS#11 function is one call on the application's one connection
 * (C_Initialize opens it, C_Finalize closes it), with the same results, CK_RVs and two-call length
 * protocol as the engine in process. A call that does not reach the HSM returns the CK_RV
 * {@link StatusMapping} gives, with one line in the client log.
 */
public final class RemoteCryptoki implements Cryptoki {
    private final ClientLifecycle lifecycle;

    /** The module the bridge loads in network mode: {@code JHSM_CONF} is read at each C_Initialize. */
    public RemoteCryptoki() {
        this.lifecycle = new ClientLifecycle(null, null);
    }

    /** A fixed configuration and a channel factory (tests: a plaintext loopback channel). */
    public RemoteCryptoki(ClientConfig config, Function<ClientConfig.HostAndPort, ManagedChannel> channels) {
        this.lifecycle = new ClientLifecycle(config, channels);
    }

    // ---- General purpose

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
        return Infos.fromProto(call(Request.newBuilder().setGetInfo(Empty.getDefaultInstance())).getInfo());
    }

    // ---- Slots and tokens

    @Override
    public long[] C_GetSlotList(boolean tokenPresent) {
        return handles(call(Request.newBuilder().setGetSlotList(GetSlotList.newBuilder().setTokenPresent(tokenPresent))));
    }

    @Override
    public CkSlotInfo C_GetSlotInfo(long slotId) {
        return Infos.fromProto(call(Request.newBuilder().setGetSlotInfo(slot(slotId))).getSlotInfo());
    }

    @Override
    public CkTokenInfo C_GetTokenInfo(long slotId) {
        return Infos.fromProto(call(Request.newBuilder().setGetTokenInfo(slot(slotId))).getTokenInfo());
    }

    @Override
    public long[] C_GetMechanismList(long slotId) {
        return handles(call(Request.newBuilder().setGetMechanismList(slot(slotId))));
    }

    @Override
    public CkMechanismInfo C_GetMechanismInfo(long slotId, long mechanismType) {
        return Infos.fromProto(call(Request.newBuilder().setGetMechanismInfo(
                GetMechanismInfo.newBuilder().setSlot(slotId).setMechanism(mechanismType))).getMechanismInfo());
    }

    @Override
    public void C_InitToken(long slotId, byte[] soPin, byte[] label) {
        call(Request.newBuilder().setInitToken(Requests.initToken(slotId, soPin, label)));
    }

    @Override
    public void C_InitPIN(long hSession, byte[] pin) {
        call(Request.newBuilder().setInitPin(sessionBytes(hSession, pin)));
    }

    @Override
    public void C_SetPIN(long hSession, byte[] oldPin, byte[] newPin) {
        call(Request.newBuilder().setSetPin(Requests.setPin(hSession, oldPin, newPin)));
        lifecycle.current().logins().pinChanged(newPin);
    }

    /**
     * The node has no removable tokens, so no slot event ever happens: the non-blocking form asks the
     * node (CKR_NO_EVENT), the blocking one waits here until C_Finalize, as the engine does in process.
     */
    @Override
    public long C_WaitForSlotEvent(long flags) {
        if ((flags & CKF.DONT_BLOCK) != 0) {
            return call(Request.newBuilder().setWaitForSlotEvent(WaitForSlotEvent.newBuilder().setFlags(flags))).getNumber();
        }
        return lifecycle.waitUntilFinalized();
    }

    // ---- Sessions

    @Override
    public long C_OpenSession(long slotId, long flags) {
        return C_OpenSession(slotId, flags, false);
    }

    /** Whether a Notify was given goes to the HSM: a cloudhsm-profile token refuses one. */
    @Override
    public long C_OpenSession(long slotId, long flags, boolean notify) {
        Request r = Request.newBuilder().setOpenSession(OpenSession.newBuilder().setSlot(slotId).setFlags(flags).setNotify(notify)).build();
        return checked(lifecycle.current().router().openSession(r)).getNumber();
    }

    @Override
    public void C_CloseSession(long hSession) {
        checked(lifecycle.current().router().closeSession(Request.newBuilder().setCloseSession(session(hSession)).build()));
    }

    @Override
    public void C_CloseAllSessions(long slotId) {
        checked(lifecycle.current().router().closeAllSessions(Request.newBuilder().setCloseAllSessions(slot(slotId)).build()));
    }

    @Override
    public CkSessionInfo C_GetSessionInfo(long hSession) {
        return Infos.fromProto(call(Request.newBuilder().setGetSessionInfo(session(hSession))).getSessionInfo());
    }

    @Override
    public long C_GetSessionValidationFlags(long hSession, long type) {
        return call(Request.newBuilder().setGetSessionValidationFlags(sessionNumber(hSession, type))).getNumber();
    }

    @Override
    public int C_GetOperationState(long hSession, byte[] state) {
        return output(Request.newBuilder().setGetOperationState(sessionOutput(hSession, state)), state);
    }

    @Override
    public void C_SetOperationState(long hSession, byte[] state, long hEncryptionKey, long hAuthenticationKey) {
        call(Request.newBuilder().setSetOperationState(SetOperationState.newBuilder().setSession(hSession).setState(of(state))
                .setEncryptionKey(hEncryptionKey).setAuthenticationKey(hAuthenticationKey)));
    }

    @Override
    public void C_Login(long hSession, long userType, byte[] pin) {
        checked(lifecycle.current().logins().login(hSession, userType, pin, null));
    }

    @Override
    public void C_LoginUser(long hSession, long userType, byte[] pin, byte[] username) {
        if (username == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no user name");
        }
        checked(lifecycle.current().logins().login(hSession, userType, pin, username));
    }

    @Override
    public void C_Logout(long hSession) {
        checked(lifecycle.current().logins().logout(hSession));
    }

    @Override
    public void C_SessionCancel(long hSession, long flags) {
        call(Request.newBuilder().setSessionCancel(sessionNumber(hSession, flags)));
    }

    // ---- Objects

    @Override
    public long C_CreateObject(long hSession, List<Attribute> t) {
        return call(Request.newBuilder().setCreateObject(CreateObject.newBuilder().setSession(hSession).addAllTemplate(template(t))))
                .getNumber();
    }

    @Override
    public long C_CopyObject(long hSession, long hObject, List<Attribute> t) {
        return call(Request.newBuilder().setCopyObject(
                CopyObject.newBuilder().setSession(hSession).setObject(hObject).addAllTemplate(template(t)))).getNumber();
    }

    @Override
    public void C_DestroyObject(long hSession, long hObject) {
        call(Request.newBuilder().setDestroyObject(sessionObject(hSession, hObject)));
    }

    @Override
    public long C_GetObjectSize(long hSession, long hObject) {
        return call(Request.newBuilder().setGetObjectSize(sessionObject(hSession, hObject))).getNumber();
    }

    @Override
    public List<AttributeReading> C_GetAttributeValue(long hSession, long hObject, long[] types) {
        GetAttributeValue.Builder b = GetAttributeValue.newBuilder().setSession(hSession).setObject(hObject)
                .addAllTypes(java.util.Arrays.stream(types).boxed().toList());
        return Templates.readingsFromProto(call(Request.newBuilder().setGetAttributeValue(b)).getAttributeValues());
    }

    @Override
    public void C_SetAttributeValue(long hSession, long hObject, List<Attribute> t) {
        call(Request.newBuilder().setSetAttributeValue(
                SetAttributeValue.newBuilder().setSession(hSession).setObject(hObject).addAllTemplate(template(t))));
    }

    @Override
    public void C_FindObjectsInit(long hSession, List<Attribute> t) {
        call(Request.newBuilder().setFindObjectsInit(SessionTemplate.newBuilder().setSession(hSession).addAllTemplate(template(t))));
    }

    @Override
    public long[] C_FindObjects(long hSession, int maxObjectCount) {
        return handles(call(Request.newBuilder().setFindObjects(sessionNumber(hSession, maxObjectCount))));
    }

    @Override
    public void C_FindObjectsFinal(long hSession) {
        call(Request.newBuilder().setFindObjectsFinal(session(hSession)));
    }

    // ---- Encryption, decryption, digests, signatures

    @Override
    public void C_EncryptInit(long hSession, Mechanism mechanism, long hKey) {
        Response r = call(Request.newBuilder().setEncryptInit(init(hSession, mechanism, hKey)));
        if (mechanism != null && r.hasOutput() && r.getOutput().hasParams()) {
            MessageParamsCopy.back(mechanism.params(), r.getOutput().getParams()); // a cloudhsm token's GCM IV
        }
    }

    @Override
    public int C_Encrypt(long hSession, byte[] data, byte[] encryptedData) {
        return output(Request.newBuilder().setEncrypt(crypt(hSession, data, encryptedData)), encryptedData);
    }

    @Override
    public int C_EncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        return output(Request.newBuilder().setEncryptUpdate(crypt(hSession, part, encryptedPart)), encryptedPart);
    }

    @Override
    public int C_EncryptFinal(long hSession, byte[] lastEncryptedPart) {
        return output(Request.newBuilder().setEncryptFinal(sessionOutput(hSession, lastEncryptedPart)), lastEncryptedPart);
    }

    @Override
    public void C_DecryptInit(long hSession, Mechanism mechanism, long hKey) {
        call(Request.newBuilder().setDecryptInit(init(hSession, mechanism, hKey)));
    }

    @Override
    public int C_Decrypt(long hSession, byte[] encryptedData, byte[] data) {
        return output(Request.newBuilder().setDecrypt(crypt(hSession, encryptedData, data)), data);
    }

    @Override
    public int C_DecryptUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        return output(Request.newBuilder().setDecryptUpdate(crypt(hSession, encryptedPart, part)), part);
    }

    @Override
    public int C_DecryptFinal(long hSession, byte[] lastPart) {
        return output(Request.newBuilder().setDecryptFinal(sessionOutput(hSession, lastPart)), lastPart);
    }

    @Override
    public void C_DigestInit(long hSession, Mechanism mechanism) {
        call(Request.newBuilder().setDigestInit(init(hSession, mechanism, 0)));
    }

    @Override
    public int C_Digest(long hSession, byte[] data, byte[] digest) {
        return output(Request.newBuilder().setDigest(crypt(hSession, data, digest)), digest);
    }

    @Override
    public void C_DigestUpdate(long hSession, byte[] part) {
        call(Request.newBuilder().setDigestUpdate(sessionBytes(hSession, part)));
    }

    @Override
    public void C_DigestKey(long hSession, long hKey) {
        call(Request.newBuilder().setDigestKey(sessionObject(hSession, hKey)));
    }

    @Override
    public int C_DigestFinal(long hSession, byte[] digest) {
        return output(Request.newBuilder().setDigestFinal(sessionOutput(hSession, digest)), digest);
    }

    @Override
    public void C_SignInit(long hSession, Mechanism mechanism, long hKey) {
        call(Request.newBuilder().setSignInit(init(hSession, mechanism, hKey)));
    }

    @Override
    public int C_Sign(long hSession, byte[] data, byte[] signature) {
        return output(Request.newBuilder().setSign(crypt(hSession, data, signature)), signature);
    }

    @Override
    public void C_SignUpdate(long hSession, byte[] part) {
        call(Request.newBuilder().setSignUpdate(sessionBytes(hSession, part)));
    }

    @Override
    public int C_SignFinal(long hSession, byte[] signature) {
        return output(Request.newBuilder().setSignFinal(sessionOutput(hSession, signature)), signature);
    }

    @Override
    public void C_SignRecoverInit(long hSession, Mechanism mechanism, long hKey) {
        call(Request.newBuilder().setSignRecoverInit(init(hSession, mechanism, hKey)));
    }

    @Override
    public int C_SignRecover(long hSession, byte[] data, byte[] signature) {
        return output(Request.newBuilder().setSignRecover(crypt(hSession, data, signature)), signature);
    }

    @Override
    public void C_VerifyInit(long hSession, Mechanism mechanism, long hKey) {
        call(Request.newBuilder().setVerifyInit(init(hSession, mechanism, hKey)));
    }

    @Override
    public void C_Verify(long hSession, byte[] data, byte[] signature) {
        call(Request.newBuilder().setVerify(Verify.newBuilder().setSession(hSession).setData(of(data)).setSignature(of(signature))));
    }

    @Override
    public void C_VerifyUpdate(long hSession, byte[] part) {
        call(Request.newBuilder().setVerifyUpdate(sessionBytes(hSession, part)));
    }

    @Override
    public void C_VerifyFinal(long hSession, byte[] signature) {
        call(Request.newBuilder().setVerifyFinal(sessionBytes(hSession, signature)));
    }

    @Override
    public void C_VerifyRecoverInit(long hSession, Mechanism mechanism, long hKey) {
        call(Request.newBuilder().setVerifyRecoverInit(init(hSession, mechanism, hKey)));
    }

    @Override
    public int C_VerifyRecover(long hSession, byte[] signature, byte[] data) {
        return output(Request.newBuilder().setVerifyRecover(crypt(hSession, signature, data)), data);
    }

    @Override
    public void C_VerifySignatureInit(long hSession, Mechanism mechanism, long hKey, byte[] signature) {
        call(Request.newBuilder().setVerifySignatureInit(Requests.verifySignatureInit(hSession, mechanism, hKey, signature)));
    }

    @Override
    public void C_VerifySignature(long hSession, byte[] data) {
        call(Request.newBuilder().setVerifySignature(sessionBytes(hSession, data)));
    }

    @Override
    public void C_VerifySignatureUpdate(long hSession, byte[] part) {
        call(Request.newBuilder().setVerifySignatureUpdate(sessionBytes(hSession, part)));
    }

    @Override
    public void C_VerifySignatureFinal(long hSession) {
        call(Request.newBuilder().setVerifySignatureFinal(session(hSession)));
    }

    @Override
    public int C_DigestEncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        return output(Request.newBuilder().setDigestEncryptUpdate(crypt(hSession, part, encryptedPart)), encryptedPart);
    }

    @Override
    public int C_DecryptDigestUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        return output(Request.newBuilder().setDecryptDigestUpdate(crypt(hSession, encryptedPart, part)), part);
    }

    @Override
    public int C_SignEncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        return output(Request.newBuilder().setSignEncryptUpdate(crypt(hSession, part, encryptedPart)), encryptedPart);
    }

    @Override
    public int C_DecryptVerifyUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        return output(Request.newBuilder().setDecryptVerifyUpdate(crypt(hSession, encryptedPart, part)), part);
    }

    // ---- Keys, random numbers and message-based functions: RemoteKeys and RemoteMessages

    private final RemoteKeys keys = new RemoteKeys(this::call);
    private final RemoteMessages messages = new RemoteMessages(this::call);

    @Override
    public long C_GenerateKey(long hSession, Mechanism mechanism, List<Attribute> template) {
        return keys.generateKey(hSession, mechanism, template);
    }

    @Override
    public long[] C_GenerateKeyPair(long hSession, Mechanism mechanism, List<Attribute> publicKeyTemplate,
                                    List<Attribute> privateKeyTemplate) {
        return keys.generateKeyPair(hSession, mechanism, publicKeyTemplate, privateKeyTemplate);
    }

    @Override
    public int C_WrapKey(long hSession, Mechanism mechanism, long hWrappingKey, long hKey, byte[] wrappedKey) {
        return keys.wrap(hSession, mechanism, hWrappingKey, hKey, null, wrappedKey, false);
    }

    @Override
    public long C_UnwrapKey(long hSession, Mechanism mechanism, long hUnwrappingKey, byte[] wrappedKey, List<Attribute> template) {
        return keys.unwrap(hSession, mechanism, hUnwrappingKey, wrappedKey, template, null, false);
    }

    @Override
    public long C_DeriveKey(long hSession, Mechanism mechanism, long hBaseKey, List<Attribute> template) {
        return keys.derive(hSession, mechanism, hBaseKey, template);
    }

    @Override
    public int C_WrapKeyAuthenticated(long hSession, Mechanism mechanism, long hWrappingKey, long hKey, byte[] associatedData,
                                      byte[] wrappedKey) {
        return keys.wrap(hSession, mechanism, hWrappingKey, hKey, associatedData, wrappedKey, true);
    }

    @Override
    public long C_UnwrapKeyAuthenticated(long hSession, Mechanism mechanism, long hUnwrappingKey, byte[] wrappedKey,
                                         List<Attribute> template, byte[] associatedData) {
        return keys.unwrap(hSession, mechanism, hUnwrappingKey, wrappedKey, template, associatedData, true);
    }

    @Override
    public Encapsulation C_EncapsulateKey(long hSession, Mechanism mechanism, long hPublicKey, List<Attribute> template,
                                          byte[] ciphertext) {
        return keys.encapsulate(hSession, mechanism, hPublicKey, template, ciphertext);
    }

    @Override
    public long C_DecapsulateKey(long hSession, Mechanism mechanism, long hPrivateKey, List<Attribute> template, byte[] ciphertext) {
        return keys.decapsulate(hSession, mechanism, hPrivateKey, template, ciphertext);
    }

    @Override
    public void C_SeedRandom(long hSession, byte[] seed) {
        call(Request.newBuilder().setSeedRandom(sessionBytes(hSession, seed)));
    }

    @Override
    public void C_GenerateRandom(long hSession, byte[] randomData) {
        keys.generateRandom(hSession, randomData);
    }

    @Override
    public void C_MessageEncryptInit(long hSession, Mechanism mechanism, long hKey) {
        call(Request.newBuilder().setMessageEncryptInit(init(hSession, mechanism, hKey)));
    }

    @Override
    public int C_EncryptMessage(long hSession, MechanismParams parameter, byte[] associatedData, byte[] plaintext, byte[] ciphertext) {
        return messages.encrypt(hSession, parameter, associatedData, plaintext, ciphertext);
    }

    @Override
    public void C_EncryptMessageBegin(long hSession, MechanismParams parameter, byte[] associatedData) {
        call(Request.newBuilder().setEncryptMessageBegin(Requests.messageBegin(hSession, parameter, associatedData)));
    }

    @Override
    public int C_EncryptMessageNext(long hSession, MechanismParams parameter, byte[] plaintextPart, byte[] ciphertextPart, long flags) {
        return messages.encryptNext(hSession, parameter, plaintextPart, ciphertextPart, flags);
    }

    @Override
    public void C_MessageEncryptFinal(long hSession) {
        call(Request.newBuilder().setMessageEncryptFinal(session(hSession)));
    }

    @Override
    public void C_MessageDecryptInit(long hSession, Mechanism mechanism, long hKey) {
        call(Request.newBuilder().setMessageDecryptInit(init(hSession, mechanism, hKey)));
    }

    @Override
    public int C_DecryptMessage(long hSession, MechanismParams parameter, byte[] associatedData, byte[] ciphertext, byte[] plaintext) {
        return messages.decrypt(hSession, parameter, associatedData, ciphertext, plaintext);
    }

    @Override
    public void C_DecryptMessageBegin(long hSession, MechanismParams parameter, byte[] associatedData) {
        call(Request.newBuilder().setDecryptMessageBegin(Requests.messageBegin(hSession, parameter, associatedData)));
    }

    @Override
    public int C_DecryptMessageNext(long hSession, MechanismParams parameter, byte[] ciphertextPart, byte[] plaintextPart, long flags) {
        return messages.decryptNext(hSession, parameter, ciphertextPart, plaintextPart, flags);
    }

    @Override
    public void C_MessageDecryptFinal(long hSession) {
        call(Request.newBuilder().setMessageDecryptFinal(session(hSession)));
    }

    @Override
    public void C_MessageSignInit(long hSession, Mechanism mechanism, long hKey) {
        call(Request.newBuilder().setMessageSignInit(init(hSession, mechanism, hKey)));
    }

    @Override
    public int C_SignMessage(long hSession, MechanismParams parameter, byte[] data, byte[] signature) {
        return messages.sign(hSession, parameter, data, signature);
    }

    @Override
    public void C_SignMessageBegin(long hSession, MechanismParams parameter) {
        call(Request.newBuilder().setSignMessageBegin(Requests.messageBegin(hSession, parameter, null)));
    }

    @Override
    public int C_SignMessageNext(long hSession, MechanismParams parameter, byte[] dataPart, boolean last, byte[] signature) {
        return messages.signNext(hSession, parameter, dataPart, last, signature);
    }

    @Override
    public void C_MessageSignFinal(long hSession) {
        call(Request.newBuilder().setMessageSignFinal(session(hSession)));
    }

    @Override
    public void C_MessageVerifyInit(long hSession, Mechanism mechanism, long hKey) {
        call(Request.newBuilder().setMessageVerifyInit(init(hSession, mechanism, hKey)));
    }

    @Override
    public void C_VerifyMessage(long hSession, MechanismParams parameter, byte[] data, byte[] signature) {
        call(Request.newBuilder().setVerifyMessage(Requests.messageVerify(hSession, parameter, data, signature)));
    }

    @Override
    public void C_VerifyMessageBegin(long hSession, MechanismParams parameter) {
        call(Request.newBuilder().setVerifyMessageBegin(Requests.messageBegin(hSession, parameter, null)));
    }

    @Override
    public void C_VerifyMessageNext(long hSession, MechanismParams parameter, byte[] dataPart, byte[] signature) {
        call(Request.newBuilder().setVerifyMessageNext(Requests.messageVerify(hSession, parameter, dataPart, signature)));
    }

    @Override
    public void C_MessageVerifyFinal(long hSession) {
        call(Request.newBuilder().setMessageVerifyFinal(session(hSession)));
    }

    // ---- The call and its answer

    /** One round trip to the session's HSM (or any); a CK_RV other than CKR_OK is thrown (CKR_BUFFER_TOO_SMALL with the length needed). */
    Response call(Request.Builder request) {
        return checked(lifecycle.current().router().call(request.build()));
    }

    private static Response checked(Response r) {
        if (r.getRv() == CKR.BUFFER_TOO_SMALL) {
            throw new BufferTooSmallException((int) r.getOutput().getLength());
        }
        if (r.getRv() != CKR.OK) {
            throw new RemoteFailure(r);
        }
        return r;
    }

    /** The two-call protocol: {@code out} null asks the length; otherwise the bytes land in it from index 0. */
    private int output(Request.Builder request, byte[] out) {
        return Answers.output(call(request).getOutput(), out);
    }

    private static long[] handles(Response r) {
        return Answers.handles(r);
    }
}
