package io.jhsm.pkcs11;

import java.util.List;

/**
 * The PKCS#11 functions in Java types, one method per C function, named as in C so that the
 * specification reads straight onto the code. Every method reports failure by throwing
 * {@link CkException} with the CK_RV the specification lists.
 *
 * <p>Output conventions (the C two-call protocol, kept intact so that a Java caller and the C ABI
 * see the same behaviour):
 * <ul>
 *   <li>An output array that is {@code null} asks for the length: the method returns the number of
 *       bytes that would suffice and the operation stays active.</li>
 *   <li>An output array that is too small throws {@link BufferTooSmallException} carrying the
 *       required length; the operation stays active and the next call returns the same output.</li>
 *   <li>Otherwise the output is written from index 0 and its length returned.</li>
 * </ul>
 * Functions this interface marks {@code default} are optional for an implementation; their default
 * answer is CKR_FUNCTION_NOT_SUPPORTED.
 */
public interface Cryptoki {

    // ---- General purpose

    void C_Initialize(InitializeArgs args);

    void C_Finalize();

    CkInfo C_GetInfo();

    // ---- Slots and tokens

    long[] C_GetSlotList(boolean tokenPresent);

    CkSlotInfo C_GetSlotInfo(long slotId);

    CkTokenInfo C_GetTokenInfo(long slotId);

    long[] C_GetMechanismList(long slotId);

    CkMechanismInfo C_GetMechanismInfo(long slotId, long mechanismType);

    /** {@code label} is the 32-byte blank-padded label exactly as the caller passed it. */
    void C_InitToken(long slotId, byte[] soPin, byte[] label);

    void C_InitPIN(long hSession, byte[] pin);

    void C_SetPIN(long hSession, byte[] oldPin, byte[] newPin);

    default long C_WaitForSlotEvent(long flags) {
        throw notSupported();
    }

    // ---- Sessions

    long C_OpenSession(long slotId, long flags);

    /**
     * C_OpenSession as the C ABI received it: {@code notify} says whether the application passed a Notify callback
     * (never called back; a module may refuse one). By default the callback is ignored.
     */
    default long C_OpenSession(long slotId, long flags, boolean notify) {
        return C_OpenSession(slotId, flags);
    }

    void C_CloseSession(long hSession);

    void C_CloseAllSessions(long slotId);

    CkSessionInfo C_GetSessionInfo(long hSession);

    /**
     * C_GetSessionValidationFlags (PKCS#11 3.2): the flags of {@code type} (CKS_LAST_VALIDATION_OK: which
     * validation objects the session's last operation satisfied).
     */
    default long C_GetSessionValidationFlags(long hSession, long type) {
        throw notSupported();
    }

    default int C_GetOperationState(long hSession, byte[] state) {
        throw notSupported();
    }

    default void C_SetOperationState(long hSession, byte[] state, long hEncryptionKey, long hAuthenticationKey) {
        throw notSupported();
    }

    void C_Login(long hSession, long userType, byte[] pin);

    /** PKCS#11 3.0: login naming the user explicitly. */
    default void C_LoginUser(long hSession, long userType, byte[] pin, byte[] username) {
        throw notSupported();
    }

    void C_Logout(long hSession);

    default void C_SessionCancel(long hSession, long flags) {
        throw notSupported();
    }

    // ---- Objects

    long C_CreateObject(long hSession, List<Attribute> template);

    long C_CopyObject(long hSession, long hObject, List<Attribute> template);

    void C_DestroyObject(long hSession, long hObject);

    long C_GetObjectSize(long hSession, long hObject);

    /**
     * One reading per requested type, in order. Per-attribute failures (sensitive, invalid type) are
     * in the readings, not thrown; the object or session being invalid is thrown.
     */
    List<AttributeReading> C_GetAttributeValue(long hSession, long hObject, long[] types);

    void C_SetAttributeValue(long hSession, long hObject, List<Attribute> template);

    void C_FindObjectsInit(long hSession, List<Attribute> template);

    long[] C_FindObjects(long hSession, int maxObjectCount);

    void C_FindObjectsFinal(long hSession);

    // ---- Encryption and decryption

    void C_EncryptInit(long hSession, Mechanism mechanism, long hKey);

    int C_Encrypt(long hSession, byte[] data, byte[] encryptedData);

    int C_EncryptUpdate(long hSession, byte[] part, byte[] encryptedPart);

    int C_EncryptFinal(long hSession, byte[] lastEncryptedPart);

    void C_DecryptInit(long hSession, Mechanism mechanism, long hKey);

    int C_Decrypt(long hSession, byte[] encryptedData, byte[] data);

    int C_DecryptUpdate(long hSession, byte[] encryptedPart, byte[] part);

    int C_DecryptFinal(long hSession, byte[] lastPart);

    // ---- Digests

    void C_DigestInit(long hSession, Mechanism mechanism);

    int C_Digest(long hSession, byte[] data, byte[] digest);

    void C_DigestUpdate(long hSession, byte[] part);

    default void C_DigestKey(long hSession, long hKey) {
        throw notSupported();
    }

    int C_DigestFinal(long hSession, byte[] digest);

    // ---- Signatures and MACs

    void C_SignInit(long hSession, Mechanism mechanism, long hKey);

    int C_Sign(long hSession, byte[] data, byte[] signature);

    void C_SignUpdate(long hSession, byte[] part);

    int C_SignFinal(long hSession, byte[] signature);

    default void C_SignRecoverInit(long hSession, Mechanism mechanism, long hKey) {
        throw notSupported();
    }

    default int C_SignRecover(long hSession, byte[] data, byte[] signature) {
        throw notSupported();
    }

    void C_VerifyInit(long hSession, Mechanism mechanism, long hKey);

    /** Returns normally when the signature is valid; CKR_SIGNATURE_INVALID or CKR_SIGNATURE_LEN_RANGE otherwise. */
    void C_Verify(long hSession, byte[] data, byte[] signature);

    void C_VerifyUpdate(long hSession, byte[] part);

    void C_VerifyFinal(long hSession, byte[] signature);

    default void C_VerifyRecoverInit(long hSession, Mechanism mechanism, long hKey) {
        throw notSupported();
    }

    default int C_VerifyRecover(long hSession, byte[] signature, byte[] data) {
        throw notSupported();
    }

    // ---- PKCS#11 3.2 verification with the signature given first

    /**
     * C_VerifySignatureInit: a verification whose signature is known before the data; a null
     * {@code mechanism} ends the active one. The signature's length is judged when the data is complete.
     */
    default void C_VerifySignatureInit(long hSession, Mechanism mechanism, long hKey, byte[] signature) {
        throw notSupported();
    }

    /** Returns normally when the signature is valid; CKR_SIGNATURE_INVALID or CKR_SIGNATURE_LEN_RANGE otherwise. */
    default void C_VerifySignature(long hSession, byte[] data) {
        throw notSupported();
    }

    default void C_VerifySignatureUpdate(long hSession, byte[] part) {
        throw notSupported();
    }

    /** Returns normally when the signature is valid; CKR_SIGNATURE_INVALID or CKR_SIGNATURE_LEN_RANGE otherwise. */
    default void C_VerifySignatureFinal(long hSession) {
        throw notSupported();
    }

    // ---- Dual-function operations

    default int C_DigestEncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        throw notSupported();
    }

    default int C_DecryptDigestUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        throw notSupported();
    }

    default int C_SignEncryptUpdate(long hSession, byte[] part, byte[] encryptedPart) {
        throw notSupported();
    }

    default int C_DecryptVerifyUpdate(long hSession, byte[] encryptedPart, byte[] part) {
        throw notSupported();
    }

    // ---- Keys

    long C_GenerateKey(long hSession, Mechanism mechanism, List<Attribute> template);

    /** Returns {public key handle, private key handle}. */
    long[] C_GenerateKeyPair(long hSession, Mechanism mechanism, List<Attribute> publicKeyTemplate,
                             List<Attribute> privateKeyTemplate);

    default int C_WrapKey(long hSession, Mechanism mechanism, long hWrappingKey, long hKey, byte[] wrappedKey) {
        throw notSupported();
    }

    default long C_UnwrapKey(long hSession, Mechanism mechanism, long hUnwrappingKey, byte[] wrappedKey,
                             List<Attribute> template) {
        throw notSupported();
    }

    default long C_DeriveKey(long hSession, Mechanism mechanism, long hBaseKey, List<Attribute> template) {
        throw notSupported();
    }

    // ---- PKCS#11 3.2 authenticated key wrapping

    /**
     * C_WrapKeyAuthenticated: C_WrapKey with an AEAD mechanism whose associated data is
     * {@code associatedData} (the same bytes must be given to unwrap). Output as for C_WrapKey.
     */
    default int C_WrapKeyAuthenticated(long hSession, Mechanism mechanism, long hWrappingKey, long hKey,
                                       byte[] associatedData, byte[] wrappedKey) {
        throw notSupported();
    }

    /** C_UnwrapKeyAuthenticated: C_UnwrapKey whose AEAD tag also covers {@code associatedData}. */
    default long C_UnwrapKeyAuthenticated(long hSession, Mechanism mechanism, long hUnwrappingKey, byte[] wrappedKey,
                                          List<Attribute> template, byte[] associatedData) {
        throw notSupported();
    }

    // ---- PKCS#11 3.2 key encapsulation

    /**
     * C_EncapsulateKey: a new secret key (from {@code template}) and the ciphertext that carries it to
     * the holder of the private key. {@code ciphertext} follows the output conventions above: null or
     * too small creates no key and reports the length needed.
     */
    default Encapsulation C_EncapsulateKey(long hSession, Mechanism mechanism, long hPublicKey, List<Attribute> template,
                                           byte[] ciphertext) {
        throw notSupported();
    }

    /** C_DecapsulateKey: the secret key that {@code ciphertext} carries, as a new object from {@code template}. */
    default long C_DecapsulateKey(long hSession, Mechanism mechanism, long hPrivateKey, List<Attribute> template,
                                  byte[] ciphertext) {
        throw notSupported();
    }

    // ---- Random numbers

    void C_SeedRandom(long hSession, byte[] seed);

    /** Fills {@code randomData} entirely. */
    void C_GenerateRandom(long hSession, byte[] randomData);

    // ---- PKCS#11 3.0 message-based encryption, decryption, signatures and MACs
    //
    // A message-based operation (C_Message*Init) serves any number of messages until C_Message*Final.
    // Each message takes its own parameter (MechanismParams.GcmMessage, .CcmMessage, or null for MACs),
    // which is in/out: the engine fills its arrays in place (generated IV, tag). A message is either one
    // call (C_EncryptMessage …) or Begin, then Next until the part flagged CKF_END_OF_MESSAGE (for
    // signatures: the part that asks for the signature). Output arrays follow the conventions above.

    default void C_MessageEncryptInit(long hSession, Mechanism mechanism, long hKey) {
        throw notSupported();
    }

    default int C_EncryptMessage(long hSession, MechanismParams parameter, byte[] associatedData, byte[] plaintext,
                                 byte[] ciphertext) {
        throw notSupported();
    }

    default void C_EncryptMessageBegin(long hSession, MechanismParams parameter, byte[] associatedData) {
        throw notSupported();
    }

    /** {@code flags}: CKF_END_OF_MESSAGE on the last part of the message. */
    default int C_EncryptMessageNext(long hSession, MechanismParams parameter, byte[] plaintextPart, byte[] ciphertextPart,
                                     long flags) {
        throw notSupported();
    }

    default void C_MessageEncryptFinal(long hSession) {
        throw notSupported();
    }

    default void C_MessageDecryptInit(long hSession, Mechanism mechanism, long hKey) {
        throw notSupported();
    }

    default int C_DecryptMessage(long hSession, MechanismParams parameter, byte[] associatedData, byte[] ciphertext,
                                 byte[] plaintext) {
        throw notSupported();
    }

    default void C_DecryptMessageBegin(long hSession, MechanismParams parameter, byte[] associatedData) {
        throw notSupported();
    }

    /** {@code flags}: CKF_END_OF_MESSAGE on the last part of the message. */
    default int C_DecryptMessageNext(long hSession, MechanismParams parameter, byte[] ciphertextPart, byte[] plaintextPart,
                                     long flags) {
        throw notSupported();
    }

    default void C_MessageDecryptFinal(long hSession) {
        throw notSupported();
    }

    default void C_MessageSignInit(long hSession, Mechanism mechanism, long hKey) {
        throw notSupported();
    }

    default int C_SignMessage(long hSession, MechanismParams parameter, byte[] data, byte[] signature) {
        throw notSupported();
    }

    default void C_SignMessageBegin(long hSession, MechanismParams parameter) {
        throw notSupported();
    }

    /**
     * {@code last} is false for a part that only adds data (C: pulSignatureLen NULL; {@code signature}
     * and the result are then ignored) and true for the part that finishes the message and returns
     * the signature (with the usual length query and too-small conventions on {@code signature}).
     */
    default int C_SignMessageNext(long hSession, MechanismParams parameter, byte[] dataPart, boolean last, byte[] signature) {
        throw notSupported();
    }

    default void C_MessageSignFinal(long hSession) {
        throw notSupported();
    }

    default void C_MessageVerifyInit(long hSession, Mechanism mechanism, long hKey) {
        throw notSupported();
    }

    /** Returns normally when the signature is valid, as {@link #C_Verify}. */
    default void C_VerifyMessage(long hSession, MechanismParams parameter, byte[] data, byte[] signature) {
        throw notSupported();
    }

    default void C_VerifyMessageBegin(long hSession, MechanismParams parameter) {
        throw notSupported();
    }

    /** {@code signature} null: a part that only adds data; otherwise the last part, checked against it. */
    default void C_VerifyMessageNext(long hSession, MechanismParams parameter, byte[] dataPart, byte[] signature) {
        throw notSupported();
    }

    default void C_MessageVerifyFinal(long hSession) {
        throw notSupported();
    }

    // ---- Legacy parallel functions: PKCS#11 says they answer CKR_FUNCTION_NOT_PARALLEL.

    default void C_GetFunctionStatus(long hSession) {
        throw new CkException(CKR.FUNCTION_NOT_PARALLEL);
    }

    default void C_CancelFunction(long hSession) {
        throw new CkException(CKR.FUNCTION_NOT_PARALLEL);
    }

    private static CkException notSupported() {
        return new CkException(CKR.FUNCTION_NOT_SUPPORTED);
    }
}
