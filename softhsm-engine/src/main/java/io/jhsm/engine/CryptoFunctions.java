package io.jhsm.engine;

import io.jhsm.engine.function.EncryptDigestSignCalls;
import io.jhsm.engine.function.MessageCalls;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;

/**
 * The routing of the cryptographic functions (encrypt, decrypt, digest, sign, verify, their recover
 * and dual forms, and the PKCS#11 3.0 message functions) onto their call families. {@link Engine}
 * supplies the families of the current C_Initialize; keeping the routing here keeps Engine short.
 */
abstract class CryptoFunctions implements Cryptoki {

    /** The crypto calls of the current initialisation; CKR_CRYPTOKI_NOT_INITIALIZED outside one. */
    abstract EncryptDigestSignCalls crypto();

    abstract MessageCalls messages();

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
}
