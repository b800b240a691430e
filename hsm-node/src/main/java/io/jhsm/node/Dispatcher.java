package io.jhsm.node;

import static io.jhsm.protocol.WireBytes.bytes;

import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.protocol.Infos;
import io.jhsm.protocol.Mechanisms;
import io.jhsm.protocol.Templates;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;

/**
 * Routes each Request case to the application's engine; the shapes live in the family classes
 * (SlotSessionCalls, ObjectCalls, CryptCalls, KeyCalls, MessageCalls). Every outcome is a Response
 * with a CK_RV: a PKCS#11 error as itself, anything else as CKR_GENERAL_ERROR with one log line.
 */
final class Dispatcher {
    private Dispatcher() {}

    static Response dispatch(Application app, Request r) {
        try {
            return route(app, app.handles.toEngine(r)).build();
        } catch (BufferTooSmallException e) {
            return Replies.tooSmall(e);
        } catch (CkException e) {
            return Response.newBuilder().setRv(e.rv()).setMessage(detail(e)).build();
        } catch (Throwable t) {
            CryptokiLog.line("CKR_GENERAL_ERROR: " + r.getFunctionCase() + " from " + app.peer + " failed inside the node: " + t
                    + " (a defect: report it with this line; the client's application may retry)");
            return Response.newBuilder().setRv(CKR.GENERAL_ERROR).setMessage("the HSM failed internally: " + t.getClass().getSimpleName())
                    .build();
        }
    }

    /** The exception's message without its leading CKR_ name: the rv travels beside it. */
    static String detail(CkException e) {
        String m = String.valueOf(e.getMessage());
        String name = CKR.name(e.rv());
        return m.equals(name) ? "" : m.startsWith(name + ": ") ? m.substring(name.length() + 2) : m;
    }

    private static Response.Builder route(Application app, Request r) {
        Cryptoki e = app.engine();
        switch (r.getFunctionCase()) {
            // ---- slots, tokens, sessions, login, random
            case GET_INFO: return SlotSessionCalls.info(e);
            case GET_SLOT_LIST: return Replies.handles(e.C_GetSlotList(r.getGetSlotList().getTokenPresent()));
            case GET_SLOT_INFO: return Response.newBuilder().setSlotInfo(Infos.toProto(e.C_GetSlotInfo(r.getGetSlotInfo().getSlot())));
            case GET_TOKEN_INFO: return Response.newBuilder().setTokenInfo(Infos.toProto(e.C_GetTokenInfo(r.getGetTokenInfo().getSlot())));
            case GET_MECHANISM_LIST: return Replies.handles(e.C_GetMechanismList(r.getGetMechanismList().getSlot()));
            case GET_MECHANISM_INFO: return Response.newBuilder().setMechanismInfo(Infos.toProto(
                    e.C_GetMechanismInfo(r.getGetMechanismInfo().getSlot(), r.getGetMechanismInfo().getMechanism())));
            case INIT_TOKEN: return SlotSessionCalls.initToken(e, r.getInitToken());
            case INIT_PIN: return SlotSessionCalls.initPin(e, r.getInitPin());
            case SET_PIN: return SlotSessionCalls.setPin(e, r.getSetPin());
            case WAIT_FOR_SLOT_EVENT: return SlotSessionCalls.waitForSlotEvent(e, r.getWaitForSlotEvent().getFlags());
            case OPEN_SESSION: return Replies.number(app.openSession(r.getOpenSession().getSlot(), r.getOpenSession().getFlags(), r.getOpenSession().getNotify()));
            case CLOSE_SESSION: app.closeSession(r.getCloseSession().getSession()); return Replies.none();
            case CLOSE_ALL_SESSIONS: app.closeAllSessions(r.getCloseAllSessions().getSlot()); return Replies.none();
            case GET_SESSION_INFO: return Response.newBuilder().setSessionInfo(Infos.toProto(e.C_GetSessionInfo(r.getGetSessionInfo().getSession())));
            case GET_SESSION_VALIDATION_FLAGS: return Replies.number(e.C_GetSessionValidationFlags(
                    r.getGetSessionValidationFlags().getSession(), r.getGetSessionValidationFlags().getNumber()));
            case GET_OPERATION_STATE: return SlotSessionCalls.getOperationState(e, r.getGetOperationState());
            case SET_OPERATION_STATE: return SlotSessionCalls.setOperationState(e, r.getSetOperationState());
            case LOGIN: return SlotSessionCalls.login(e, r.getLogin());
            case LOGOUT: e.C_Logout(r.getLogout().getSession()); return Replies.none();
            case SESSION_CANCEL: e.C_SessionCancel(r.getSessionCancel().getSession(), r.getSessionCancel().getNumber()); return Replies.none();
            case SEED_RANDOM: return SlotSessionCalls.seedRandom(e, r.getSeedRandom());
            case GENERATE_RANDOM: return SlotSessionCalls.generateRandom(e, r.getGenerateRandom());
            // ---- objects
            case CREATE_OBJECT: return ObjectCalls.create(e, r.getCreateObject());
            case COPY_OBJECT: return ObjectCalls.copy(e, r.getCopyObject());
            case DESTROY_OBJECT: e.C_DestroyObject(r.getDestroyObject().getSession(), r.getDestroyObject().getObject()); return Replies.none();
            case GET_OBJECT_SIZE: return Replies.number(e.C_GetObjectSize(r.getGetObjectSize().getSession(), r.getGetObjectSize().getObject()));
            case GET_ATTRIBUTE_VALUE: return ObjectCalls.getAttributeValue(e, r.getGetAttributeValue());
            case SET_ATTRIBUTE_VALUE: return ObjectCalls.setAttributeValue(e, r.getSetAttributeValue());
            case FIND_OBJECTS_INIT: e.C_FindObjectsInit(r.getFindObjectsInit().getSession(),
                    Templates.fromProto(r.getFindObjectsInit().getTemplateList())); return Replies.none();
            case FIND_OBJECTS: return ObjectCalls.findObjects(e, r.getFindObjects());
            case FIND_OBJECTS_FINAL: e.C_FindObjectsFinal(r.getFindObjectsFinal().getSession()); return Replies.none();
            // ---- encrypt, decrypt, digest, sign, verify
            case ENCRYPT_INIT: return CryptCalls.encryptInit(e, r.getEncryptInit());
            case ENCRYPT: return CryptCalls.inOut(e::C_Encrypt, r.getEncrypt());
            case ENCRYPT_UPDATE: return CryptCalls.inOut(e::C_EncryptUpdate, r.getEncryptUpdate());
            case ENCRYPT_FINAL: return CryptCalls.out(e::C_EncryptFinal, r.getEncryptFinal());
            case DECRYPT_INIT: return CryptCalls.init(e::C_DecryptInit, r.getDecryptInit());
            case DECRYPT: return CryptCalls.inOut(e::C_Decrypt, r.getDecrypt());
            case DECRYPT_UPDATE: return CryptCalls.inOut(e::C_DecryptUpdate, r.getDecryptUpdate());
            case DECRYPT_FINAL: return CryptCalls.out(e::C_DecryptFinal, r.getDecryptFinal());
            case DIGEST_INIT: return CryptCalls.init((h, m, k) -> e.C_DigestInit(h, m), r.getDigestInit());
            case DIGEST: return CryptCalls.inOut(e::C_Digest, r.getDigest());
            case DIGEST_UPDATE: e.C_DigestUpdate(r.getDigestUpdate().getSession(), bytes(r.getDigestUpdate().getData())); return Replies.none();
            case DIGEST_KEY: e.C_DigestKey(r.getDigestKey().getSession(), r.getDigestKey().getObject()); return Replies.none();
            case DIGEST_FINAL: return CryptCalls.out(e::C_DigestFinal, r.getDigestFinal());
            case SIGN_INIT: return CryptCalls.init(e::C_SignInit, r.getSignInit());
            case SIGN: return CryptCalls.inOut(e::C_Sign, r.getSign());
            case SIGN_UPDATE: e.C_SignUpdate(r.getSignUpdate().getSession(), bytes(r.getSignUpdate().getData())); return Replies.none();
            case SIGN_FINAL: return CryptCalls.out(e::C_SignFinal, r.getSignFinal());
            case SIGN_RECOVER_INIT: return CryptCalls.init(e::C_SignRecoverInit, r.getSignRecoverInit());
            case SIGN_RECOVER: return CryptCalls.inOut(e::C_SignRecover, r.getSignRecover());
            case VERIFY_INIT: return CryptCalls.init(e::C_VerifyInit, r.getVerifyInit());
            case VERIFY: e.C_Verify(r.getVerify().getSession(), bytes(r.getVerify().getData()), bytes(r.getVerify().getSignature()));
                return Replies.none();
            case VERIFY_UPDATE: e.C_VerifyUpdate(r.getVerifyUpdate().getSession(), bytes(r.getVerifyUpdate().getData())); return Replies.none();
            case VERIFY_FINAL: e.C_VerifyFinal(r.getVerifyFinal().getSession(), bytes(r.getVerifyFinal().getData())); return Replies.none();
            case VERIFY_RECOVER_INIT: return CryptCalls.init(e::C_VerifyRecoverInit, r.getVerifyRecoverInit());
            case VERIFY_RECOVER: return CryptCalls.inOut(e::C_VerifyRecover, r.getVerifyRecover());
            case VERIFY_SIGNATURE_INIT: {
                var v = r.getVerifySignatureInit();
                e.C_VerifySignatureInit(v.getSession(), v.hasMechanism() ? Mechanisms.fromProto(v.getMechanism()) : null, v.getKey(),
                        bytes(v.getSignature()));
                return Replies.none();
            }
            case VERIFY_SIGNATURE: e.C_VerifySignature(r.getVerifySignature().getSession(), bytes(r.getVerifySignature().getData()));
                return Replies.none();
            case VERIFY_SIGNATURE_UPDATE: e.C_VerifySignatureUpdate(r.getVerifySignatureUpdate().getSession(),
                    bytes(r.getVerifySignatureUpdate().getData())); return Replies.none();
            case VERIFY_SIGNATURE_FINAL: e.C_VerifySignatureFinal(r.getVerifySignatureFinal().getSession()); return Replies.none();
            case DIGEST_ENCRYPT_UPDATE: return CryptCalls.inOut(e::C_DigestEncryptUpdate, r.getDigestEncryptUpdate());
            case DECRYPT_DIGEST_UPDATE: return CryptCalls.inOut(e::C_DecryptDigestUpdate, r.getDecryptDigestUpdate());
            case SIGN_ENCRYPT_UPDATE: return CryptCalls.inOut(e::C_SignEncryptUpdate, r.getSignEncryptUpdate());
            case DECRYPT_VERIFY_UPDATE: return CryptCalls.inOut(e::C_DecryptVerifyUpdate, r.getDecryptVerifyUpdate());
            // ---- keys
            case GENERATE_KEY: return KeyCalls.generateKey(e, r.getGenerateKey());
            case GENERATE_KEY_PAIR: return KeyCalls.generateKeyPair(e, r.getGenerateKeyPair());
            case WRAP_KEY: return KeyCalls.wrap(e, r.getWrapKey());
            case UNWRAP_KEY: return KeyCalls.unwrap(e, r.getUnwrapKey());
            case DERIVE_KEY: return KeyCalls.derive(e, r.getDeriveKey());
            case WRAP_KEY_AUTHENTICATED: return KeyCalls.wrapAuthenticated(e, r.getWrapKeyAuthenticated());
            case UNWRAP_KEY_AUTHENTICATED: return KeyCalls.unwrapAuthenticated(e, r.getUnwrapKeyAuthenticated());
            case ENCAPSULATE_KEY: return KeyCalls.encapsulate(e, r.getEncapsulateKey());
            case DECAPSULATE_KEY: return KeyCalls.decapsulate(e, r.getDecapsulateKey());
            // ---- message-based
            case MESSAGE_ENCRYPT_INIT: return CryptCalls.init(e::C_MessageEncryptInit, r.getMessageEncryptInit());
            case ENCRYPT_MESSAGE: return MessageCalls.crypt(e::C_EncryptMessage, r.getEncryptMessage());
            case ENCRYPT_MESSAGE_BEGIN: return MessageCalls.begin(e::C_EncryptMessageBegin, r.getEncryptMessageBegin());
            case ENCRYPT_MESSAGE_NEXT: return MessageCalls.next(e::C_EncryptMessageNext, r.getEncryptMessageNext());
            case MESSAGE_ENCRYPT_FINAL: e.C_MessageEncryptFinal(r.getMessageEncryptFinal().getSession()); return Replies.none();
            case MESSAGE_DECRYPT_INIT: return CryptCalls.init(e::C_MessageDecryptInit, r.getMessageDecryptInit());
            case DECRYPT_MESSAGE: return MessageCalls.crypt(e::C_DecryptMessage, r.getDecryptMessage());
            case DECRYPT_MESSAGE_BEGIN: return MessageCalls.begin(e::C_DecryptMessageBegin, r.getDecryptMessageBegin());
            case DECRYPT_MESSAGE_NEXT: return MessageCalls.next(e::C_DecryptMessageNext, r.getDecryptMessageNext());
            case MESSAGE_DECRYPT_FINAL: e.C_MessageDecryptFinal(r.getMessageDecryptFinal().getSession()); return Replies.none();
            case MESSAGE_SIGN_INIT: return CryptCalls.init(e::C_MessageSignInit, r.getMessageSignInit());
            case SIGN_MESSAGE: return MessageCalls.signMessage(e, r.getSignMessage());
            case SIGN_MESSAGE_BEGIN: return MessageCalls.signMessageBegin(e, r.getSignMessageBegin());
            case SIGN_MESSAGE_NEXT: return MessageCalls.signMessageNext(e, r.getSignMessageNext());
            case MESSAGE_SIGN_FINAL: e.C_MessageSignFinal(r.getMessageSignFinal().getSession()); return Replies.none();
            case MESSAGE_VERIFY_INIT: return CryptCalls.init(e::C_MessageVerifyInit, r.getMessageVerifyInit());
            case VERIFY_MESSAGE: return MessageCalls.verifyMessage(e, r.getVerifyMessage());
            case VERIFY_MESSAGE_BEGIN: return MessageCalls.verifyMessageBegin(e, r.getVerifyMessageBegin());
            case VERIFY_MESSAGE_NEXT: return MessageCalls.verifyMessageNext(e, r.getVerifyMessageNext());
            case MESSAGE_VERIFY_FINAL: e.C_MessageVerifyFinal(r.getMessageVerifyFinal().getSession()); return Replies.none();
            default:
                throw new CkException(CKR.FUNCTION_NOT_SUPPORTED, "request names no function this HSM knows: " + r.getFunctionCase());
        }
    }
}
