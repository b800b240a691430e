package io.jhsm.engine.function;

import io.jhsm.engine.mechanism.Bytes;

import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.cloudhsm.Quorum;
import io.jhsm.engine.cloudhsm.QuorumGrants;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.DigestOperation;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.profile.CloudHsmFunctions;
import io.jhsm.engine.profile.CloudHsmGcm;
import io.jhsm.engine.profile.CloudHsmMechanisms;
import io.jhsm.engine.session.ActiveOperation;
import io.jhsm.engine.session.ActiveOperation.Step;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.session.Session;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.Ulong;
import java.util.function.BiFunction;

/**
 * Encryption, decryption, digests, signatures and MACs: the init checks (mechanism, key, usage
 * flag, allowed mechanisms) and the session bookkeeping around the mechanisms' operations.
 */
public final class EncryptDigestSignCalls {
    private final ModuleState m;

    EncryptDigestSignCalls(ModuleState m) {
        this.m = m;
    }

    public <T> void init(long hSession, OperationKind kind, Mechanism mechanism, long hKey, long ckf, long usage,
                  BiFunction<MechanismImpl, KeyView, T> start) {
        Session s = m.sessionFor(hSession, kind);
        synchronized (s) {
            if (mechanism == null) {
                s.cancel(kind);
                return;
            }
            HsmObject[] used = new HsmObject[1];
            ActiveOperation<T> op = s.begin(kind, () -> {
                MechanismEntry entry = entry(s.token(), mechanism, ckf);
                KeyPolicy.requireKeyUser(s.token());
                HsmObject key = s.token().visibleKey(hKey, CKR.KEY_HANDLE_INVALID);
                if (!key.flag(usage)) {
                    throw new CkException(CKR.KEY_FUNCTION_NOT_PERMITTED, CKA.name(usage) + " is false");
                }
                checkAllowed(key, mechanism.type());
                if (kind == OperationKind.SIGN || kind == OperationKind.SIGN_RECOVER) {
                    QuorumGrants.require(key, Quorum.SERVICE_KEY_USAGE);
                }
                used[0] = key;
                return CloudHsmGcm.init(s.token(), kind, mechanism, () -> start.apply(entry.impl(), key));
            });
            op.usingKey(used[0].handle());
            op.checkDataWith(CloudHsmMechanisms.dataLimit(s.token(), kind, mechanism.type()));
            if (used[0].flag(CKA.ALWAYS_AUTHENTICATE)) {
                op.requireContextLogin();
            }
        }
    }

    public void digestInit(long hSession, Mechanism mechanism) {
        Session s = m.session(hSession);
        synchronized (s) {
            if (mechanism == null) {
                s.cancel(OperationKind.DIGEST);
                return;
            }
            s.begin(OperationKind.DIGEST, () -> entry(s.token(), mechanism, CKF.DIGEST).impl().digest(mechanism));
        }
    }

    /** The mechanism's row as the token offers it for the function ({@code ckf}); CKR_MECHANISM_INVALID otherwise. */
    MechanismEntry entry(Token t, Mechanism mechanism, long ckf) {
        if (mechanism == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no mechanism");
        }
        MechanismEntry e = m.mechanismsOf(t).get(mechanism.type());
        if (e == null || !e.can(ckf)) {
            throw new CkException(CKR.MECHANISM_INVALID, CKM.name(mechanism.type()));
        }
        return e;
    }

    /** CKA_ALLOWED_MECHANISMS: when the key lists any, only those may use it. */
    static void checkAllowed(HsmObject key, long mechanism) {
        byte[] allowed = key.attribute(CKA.ALLOWED_MECHANISMS);
        if (allowed == null || allowed.length == 0) {
            return;
        }
        for (long type : Ulong.decodeArray(allowed)) {
            if (type == mechanism) {
                return;
            }
        }
        throw new CkException(CKR.MECHANISM_INVALID, CKM.name(mechanism) + " is not in the key's CKA_ALLOWED_MECHANISMS");
    }

    // ---- ciphers

    public int cipherOnce(long hSession, OperationKind kind, byte[] in, byte[] out) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<CipherOperation> op = s.active(kind);
            op.requireNotStarted();
            byte[] data = data(op, in);
            CloudHsmGcm.checkDataSize(op, data);
            return op.deliver(out, true, Step.SINGLE_PART, data, () -> op.operation().outputBound(data.length, true),
                    () -> Bytes.concat(op.operation().update(data), op.operation().doFinal()));
        }
    }

    public int cipherUpdate(long hSession, OperationKind kind, byte[] in, byte[] out) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<CipherOperation> op = s.active(kind);
            byte[] data = data(op, in);
            CloudHsmGcm.refuseMultiPart(op);
            requireMultiPart(op, op.operation().multiPart());
            return op.deliver(out, false, Step.UPDATE, data, () -> op.operation().outputBound(data.length, false), () -> {
                op.markStarted();
                return op.operation().update(data);
            });
        }
    }

    public int cipherFinal(long hSession, OperationKind kind, byte[] out) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<CipherOperation> op = s.active(kind);
            return op.deliver(out, true, Step.FINAL, null, () -> op.operation().outputBound(0, true), () -> op.operation().doFinal());
        }
    }

    // ---- digests

    public int digestOnce(long hSession, byte[] in, byte[] out) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<DigestOperation> op = s.active(OperationKind.DIGEST);
            op.requireNotStarted();
            byte[] data = data(op, in);
            return op.deliver(out, true, Step.SINGLE_PART, data, () -> op.operation().digestLength(), () -> {
                op.operation().update(data);
                return op.operation().digest();
            });
        }
    }

    public void digestUpdate(long hSession, byte[] in) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<DigestOperation> op = s.active(OperationKind.DIGEST);
            byte[] data = data(op, in);
            op.run(() -> {
                op.markStarted();
                op.operation().update(data);
                return null;
            });
        }
    }

    public int digestFinal(long hSession, byte[] out) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<DigestOperation> op = s.active(OperationKind.DIGEST);
            return op.deliver(out, true, Step.FINAL, null, () -> op.operation().digestLength(), () -> op.operation().digest());
        }
    }

    // ---- signatures and MACs

    public int signOnce(long hSession, byte[] in, byte[] out) {
        return signOnce(hSession, OperationKind.SIGN, in, out);
    }

    /** C_Sign, and C_SignRecover (the same single-part signature in its own operation slot). */
    public int signOnce(long hSession, OperationKind kind, byte[] in, byte[] out) {
        Session s = m.sessionFor(hSession, kind);
        synchronized (s) {
            ActiveOperation<SignOperation> op = s.active(kind);
            op.requireNotStarted();
            byte[] data = data(op, in);
            return op.deliver(out, true, Step.SINGLE_PART, data, () -> op.operation().signatureLength(), () -> {
                op.operation().update(data);
                return op.operation().sign();
            });
        }
    }

    public void signUpdate(long hSession, byte[] in) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<SignOperation> op = s.active(OperationKind.SIGN);
            byte[] data = data(op, in);
            requireMultiPart(op, op.operation().multiPart());
            op.run(() -> {
                op.markStarted();
                op.operation().update(data);
                return null;
            });
        }
    }

    public int signFinal(long hSession, byte[] out) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<SignOperation> op = s.active(OperationKind.SIGN);
            return op.deliver(out, true, Step.FINAL, null, () -> op.operation().signatureLength(), () -> op.operation().sign());
        }
    }

    public void verifyOnce(long hSession, byte[] in, byte[] signature) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<VerifyOperation> op = s.active(OperationKind.VERIFY);
            op.requireNotStarted();
            byte[] data = data(op, in);
            byte[] sig = input(op, signature);
            op.run(() -> {
                op.operation().update(data);
                op.operation().verify(sig);
                return null;
            });
            op.end();
        }
    }

    public void verifyUpdate(long hSession, byte[] in) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<VerifyOperation> op = s.active(OperationKind.VERIFY);
            byte[] data = data(op, in);
            requireMultiPart(op, op.operation().multiPart());
            op.run(() -> {
                op.markStarted();
                op.operation().update(data);
                return null;
            });
        }
    }

    public void verifyFinal(long hSession, byte[] signature) {
        Session s = m.session(hSession);
        synchronized (s) {
            ActiveOperation<VerifyOperation> op = s.active(OperationKind.VERIFY);
            byte[] sig = input(op, signature);
            op.run(() -> {
                op.operation().verify(sig);
                return null;
            });
            op.end();
        }
    }

    // ---- PKCS#11 3.2: the signature given at C_VerifySignatureInit

    /** A verification whose signature came with its Init; the data follows. */
    public record SignatureFirst(VerifyOperation verification, byte[] signature) {}

    public static SignatureFirst signatureFirst(VerifyOperation verification, byte[] signature) {
        if (signature == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no signature");
        }
        return new SignatureFirst(verification, signature.clone());
    }

    public void verifySignatureOnce(long hSession, byte[] in) {
        Session s = m.sessionFor(hSession, OperationKind.VERIFY_SIGNATURE);
        synchronized (s) {
            ActiveOperation<SignatureFirst> op = s.active(OperationKind.VERIFY_SIGNATURE);
            if (op.started()) {
                // C_VerifySignature lists no CKR_OPERATION_ACTIVE: after updates, no single-part call was initialised.
                op.end();
                throw new CkException(CKR.OPERATION_NOT_INITIALIZED, "a multi-part verification is in progress; finish it with C_VerifySignatureFinal");
            }
            SignatureFirst v = op.operation();
            byte[] data = data(op, in);
            op.run(() -> {
                v.verification().update(data);
                v.verification().verify(v.signature());
                return null;
            });
            op.end();
        }
    }

    public void verifySignatureUpdate(long hSession, byte[] in) {
        Session s = m.sessionFor(hSession, OperationKind.VERIFY_SIGNATURE);
        synchronized (s) {
            ActiveOperation<SignatureFirst> op = s.active(OperationKind.VERIFY_SIGNATURE);
            byte[] data = data(op, in);
            requireMultiPart(op, op.operation().verification().multiPartWithSignatureFirst());
            op.run(() -> {
                op.markStarted();
                op.operation().verification().update(data);
                return null;
            });
        }
    }

    public void verifySignatureFinal(long hSession) {
        Session s = m.sessionFor(hSession, OperationKind.VERIFY_SIGNATURE);
        synchronized (s) {
            ActiveOperation<SignatureFirst> op = s.active(OperationKind.VERIFY_SIGNATURE);
            SignatureFirst v = op.operation();
            op.run(() -> {
                v.verification().verify(v.signature());
                return null;
            });
            op.end();
        }
    }

    /** A C_VerifyRecover in waiting: the mechanism recovers at the single call, at most a modulus long. */
    public record Recovery(MechanismImpl impl, Mechanism mechanism, KeyView key) {
        int outputBound() {
            byte[] modulus = key.attribute(CKA.MODULUS);
            return modulus == null ? -1 : new java.math.BigInteger(1, modulus).bitLength() + 7 >> 3;
        }
    }

    public int verifyRecover(long hSession, byte[] signature, byte[] out) {
        Session s = m.sessionFor(hSession, OperationKind.VERIFY_RECOVER);
        synchronized (s) {
            ActiveOperation<Recovery> op = s.active(OperationKind.VERIFY_RECOVER);
            Recovery r = op.operation();
            byte[] sig = input(op, signature);
            return op.deliver(out, true, Step.SINGLE_PART, sig, r::outputBound, () -> r.impl().verifyRecover(r.mechanism(), r.key(), sig));
        }
    }

    // ---- dual-function operations: one pass over the data for two active operations

    /**
     * C_DigestEncryptUpdate and C_SignEncryptUpdate (plaintext in) or C_DecryptDigestUpdate and
     * C_DecryptVerifyUpdate (ciphertext in). The partner absorbs the plaintext inside the cipher step,
     * which the output protocol runs once, so a length query never feeds the partner twice.
     */
    public int dualUpdate(long hSession, OperationKind cipherKind, OperationKind partnerKind, byte[] in, byte[] out) {
        Session s = m.sessionFor(hSession, CloudHsmFunctions.DUAL);
        synchronized (s) {
            ActiveOperation<CipherOperation> cipher = s.active(cipherKind);
            ActiveOperation<?> partner = s.active(partnerKind);
            boolean plaintextIn = cipherKind == OperationKind.ENCRYPT;
            try {
                byte[] data = data(cipher, in);
                requireMultiPart(cipher, cipher.operation().multiPart());
                return cipher.deliver(out, false, Step.DUAL_UPDATE, data, () -> cipher.operation().outputBound(data.length, false), () -> {
                    cipher.markStarted();
                    partner.markStarted();
                    if (plaintextIn) {
                        absorb(partner, data);
                    }
                    byte[] result = cipher.operation().update(data);
                    if (!plaintextIn) {
                        absorb(partner, result);
                    }
                    return result;
                });
            } catch (BufferTooSmallException e) {
                throw e;
            } catch (RuntimeException e) {
                // The call failed for both of its operations: each ends, as after any error.
                partner.end();
                throw e;
            }
        }
    }

    private static void absorb(ActiveOperation<?> partner, byte[] plaintext) {
        Object op = partner.operation();
        partner.run(() -> {
            if (op instanceof DigestOperation d) {
                d.update(plaintext);
            } else if (op instanceof SignOperation sign) {
                requireMultiPart(sign.multiPart());
                sign.update(plaintext);
            } else {
                requireMultiPart(((VerifyOperation) op).multiPart());
                ((VerifyOperation) op).update(plaintext);
            }
            return null;
        });
    }

    /** C_DigestKey: a secret key's value joins the running digest; other objects are indigestible. */
    public void digestKey(long hSession, long hKey) {
        Session s = m.sessionFor(hSession, "C_DigestKey");
        synchronized (s) {
            ActiveOperation<DigestOperation> op = s.active(OperationKind.DIGEST);
            op.run(() -> {
                io.jhsm.engine.object.HsmObject key = s.token().visibleKey(hKey, CKR.KEY_HANDLE_INVALID);
                if (key.objectClassOrUnknown() != io.jhsm.pkcs11.CKO.SECRET_KEY) {
                    throw new CkException(CKR.KEY_INDIGESTIBLE, "only secret keys can be digested");
                }
                op.markStarted();
                op.operation().update(key.attribute(CKA.VALUE));
                return null;
            });
        }
    }

    /** Single-part-only mechanisms refuse the Update calls, as SoftHSMv2 does; like every error, it ends the operation. */
    private static void requireMultiPart(ActiveOperation<?> op, boolean multiPart) {
        if (!multiPart) {
            op.end();
            throw new CkException(CKR.FUNCTION_NOT_SUPPORTED, "this mechanism is single-part only");
        }
    }

    private static void requireMultiPart(boolean multiPart) {
        if (!multiPart) {
            throw new CkException(CKR.FUNCTION_NOT_SUPPORTED, "this mechanism is single-part only");
        }
    }

    /** The call's data: present, and within the operation's data-size limit (a cloudhsm-profile token's). */
    private static byte[] data(ActiveOperation<?> op, byte[] in) {
        byte[] data = input(op, in);
        op.checkData(data.length);
        return data;
    }

    /** The call's input; a missing one is CKR_ARGUMENTS_BAD, which ends the operation like any error. */
    private static byte[] input(ActiveOperation<?> op, byte[] in) {
        if (in == null) {
            op.end();
            throw new CkException(CKR.ARGUMENTS_BAD, "no input");
        }
        return in;
    }

}
