package io.jhsm.engine.function;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.session.ActiveOperation;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.session.Session;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.function.Function;

/**
 * PKCS#11 3.0 message-based encryption, decryption, signatures and MACs: AES-GCM and AES-CCM
 * (CK_GCM_MESSAGE_PARAMS / CK_CCM_MESSAGE_PARAMS per message) and the HMACs (no per-message
 * parameter). Init runs the same checks as C_EncryptInit and friends (EncryptDigestSignCalls.init) against the
 * CKF_MESSAGE_* flags of the mechanism's row; each message then builds a fresh single-message
 * operation of the mechanism from the Init's key. A key with CKA_ALWAYS_AUTHENTICATE needs its
 * C_Login(CKU_CONTEXT_SPECIFIC) once after the Init, not per message: the operation is one use of the key.
 */
public final class MessageCalls {
    private final ModuleState m;
    private final EncryptDigestSignCalls crypto;

    MessageCalls(ModuleState m, EncryptDigestSignCalls crypto) {
        this.m = m;
        this.crypto = crypto;
    }

    public void init(long hSession, OperationKind kind, Mechanism mechanism, long hKey) {
        long ckf;
        long usage;
        switch (kind) {
            case MESSAGE_ENCRYPT -> { ckf = CKF.MESSAGE_ENCRYPT; usage = CKA.ENCRYPT; }
            case MESSAGE_DECRYPT -> { ckf = CKF.MESSAGE_DECRYPT; usage = CKA.DECRYPT; }
            case MESSAGE_SIGN -> { ckf = CKF.MESSAGE_SIGN; usage = CKA.SIGN; }
            case MESSAGE_VERIFY -> { ckf = CKF.MESSAGE_VERIFY; usage = CKA.VERIFY; }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        crypto.init(hSession, kind, mechanism, hKey, ckf, usage, (impl, key) -> MessageOperation.open(kind, mechanism, impl, key));
    }

    public void finish(long hSession, OperationKind kind) {
        Session s = m.sessionFor(hSession, kind);
        synchronized (s) {
            s.active(kind).end();
        }
    }

    // ---- encryption and decryption (kind MESSAGE_ENCRYPT or MESSAGE_DECRYPT)

    public int cryptMessage(long hSession, OperationKind kind, MechanismParams param, byte[] aad, byte[] in, byte[] out) {
        boolean encrypt = kind == OperationKind.MESSAGE_ENCRYPT;
        return with(hSession, kind, op -> {
            requireNoMessage(op);
            byte[] data = input(in);
            // No bound: a length query checks the parameter and fills in the IV as the real call would;
            // a single message spends nothing of the operation, so another input is simply computed anew.
            return op.deliver(out, param, true, "message", data, true, () -> -1, () -> {
                AeadMessage msg = start(op, encrypt, param, aad);
                byte[] tag = encrypt ? new byte[msg.tagBytes()] : null;
                byte[] output = Bytes.concat(msg.update(data), msg.finish(MessageOperation.tagOf(param), tag));
                return new MessageOperation.Held(output, encrypt ? msg.iv() : null, tag);
            });
        });
    }

    public void cryptBegin(long hSession, OperationKind kind, MechanismParams param, byte[] aad) {
        boolean encrypt = kind == OperationKind.MESSAGE_ENCRYPT;
        with(hSession, kind, op -> {
            requireNoMessage(op);
            AeadMessage msg = start(op, encrypt, param, aad);
            op.message = msg;
            op.beginParam = param;
            if (encrypt) {
                MessageOperation.writeBack(param, msg.iv(), null);
            }
            return 0;
        });
    }

    public int cryptNext(long hSession, OperationKind kind, MechanismParams param, byte[] in, byte[] out, long flags) {
        boolean encrypt = kind == OperationKind.MESSAGE_ENCRYPT;
        boolean last = (flags & CKF.END_OF_MESSAGE) != 0;
        return with(hSession, kind, op -> {
            AeadMessage msg = inProgress(op, AeadMessage.class);
            byte[] part = input(op, in);
            return op.deliver(out, param, last, last ? "last part" : "part", part, false,
                    () -> msg.outputBound(part.length, last), () -> {
                if (!last) {
                    return MessageOperation.Held.of(msg.update(part));
                }
                if (encrypt && !(param instanceof MechanismParams.GcmMessage || param instanceof MechanismParams.CcmMessage)) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, "the last part needs the message parameter to receive the tag");
                }
                byte[] tag = encrypt ? new byte[msg.tagBytes()] : null;
                byte[] tagIn = param != null ? MessageOperation.tagOf(param) : MessageOperation.tagOf(op.beginParam);
                byte[] output = Bytes.concat(msg.update(part), msg.finish(tagIn, tag));
                return new MessageOperation.Held(output, encrypt ? msg.iv() : null, tag);
            });
        });
    }

    private static AeadMessage start(MessageOperation op, boolean encrypt, MechanismParams param, byte[] aad) {
        return AeadMessage.start(op.mechanism.type(), op.impl, op.key, encrypt, op.ivs, param, aad == null ? new byte[0] : aad);
    }

    // ---- signatures and MACs

    public int signMessage(long hSession, MechanismParams param, byte[] data, byte[] signature) {
        return with(hSession, OperationKind.MESSAGE_SIGN, op -> {
            requireNoMessage(op);
            byte[] in = input(data);
            return op.deliver(signature, param, true, "message", in, true, () -> -1, () -> {
                requireNoParam(param);
                SignOperation sign = op.impl.sign(op.mechanism, op.key);
                sign.update(in);
                return MessageOperation.Held.of(sign.sign());
            });
        });
    }

    public void signBegin(long hSession, MechanismParams param) {
        with(hSession, OperationKind.MESSAGE_SIGN, op -> {
            requireNoMessage(op);
            requireNoParam(param);
            op.message = op.impl.sign(op.mechanism, op.key);
            return 0;
        });
    }

    public int signNext(long hSession, MechanismParams param, byte[] part, boolean last, byte[] signature) {
        return with(hSession, OperationKind.MESSAGE_SIGN, op -> {
            SignOperation sign = inProgress(op, SignOperation.class);
            if (!last) {
                return guarded(op, () -> sign.update(input(part)));
            }
            byte[] in = input(op, part);
            return op.deliver(signature, param, true, "last part", in, false, sign::signatureLength, () -> {
                sign.update(in);
                return MessageOperation.Held.of(sign.sign());
            });
        });
    }

    public void verifyMessage(long hSession, MechanismParams param, byte[] data, byte[] signature) {
        with(hSession, OperationKind.MESSAGE_VERIFY, op -> {
            requireNoMessage(op);
            requireNoParam(param);
            VerifyOperation verify = op.impl.verify(op.mechanism, op.key);
            verify.update(input(data));
            verify.verify(input(signature));
            return 0;
        });
    }

    public void verifyBegin(long hSession, MechanismParams param) {
        with(hSession, OperationKind.MESSAGE_VERIFY, op -> {
            requireNoMessage(op);
            requireNoParam(param);
            op.message = op.impl.verify(op.mechanism, op.key);
            return 0;
        });
    }

    public void verifyNext(long hSession, MechanismParams param, byte[] part, byte[] signature) {
        with(hSession, OperationKind.MESSAGE_VERIFY, op -> {
            VerifyOperation verify = inProgress(op, VerifyOperation.class);
            guarded(op, () -> verify.update(input(part)));
            if (signature != null) {
                try {
                    verify.verify(signature);
                } finally {
                    op.endMessage();
                }
            }
            return 0;
        });
    }

    // ---- helpers

    /** Runs a step on the session's message operation of this kind, under the session's lock. */
    private <R> R with(long hSession, OperationKind kind, Function<MessageOperation, R> body) {
        Session s = m.sessionFor(hSession, kind);
        synchronized (s) {
            ActiveOperation<MessageOperation> active = s.active(kind);
            if (active.awaitingContextLogin()) {
                active.end();
                throw new CkException(CKR.USER_NOT_LOGGED_IN, "the key needs C_Login(CKU_CONTEXT_SPECIFIC) first");
            }
            return body.apply(active.operation());
        }
    }

    /** A step without output; a failure ends the message in progress. */
    private static int guarded(MessageOperation op, Runnable step) {
        try {
            step.run();
            return 0;
        } catch (RuntimeException e) {
            op.endMessage();
            throw e;
        }
    }

    private static void requireNoMessage(MessageOperation op) {
        if (op.message != null) {
            throw new CkException(CKR.OPERATION_ACTIVE, "a multi-part message is in progress; finish it with CKF_END_OF_MESSAGE");
        }
    }

    private static <T> T inProgress(MessageOperation op, Class<T> type) {
        if (!type.isInstance(op.message)) {
            throw new CkException(CKR.OPERATION_NOT_INITIALIZED, "no message begun");
        }
        return type.cast(op.message);
    }

    /** The HMACs have no per-message parameter (pParameter NULL). */
    private static void requireNoParam(MechanismParams param) {
        if (param != null) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "this mechanism takes no per-message parameter");
        }
    }

    private static byte[] input(byte[] in) {
        if (in == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no input");
        }
        return in;
    }

    /** The input of a part of a message in progress; a missing one ends the message, like any error of a part. */
    private static byte[] input(MessageOperation op, byte[] in) {
        if (in == null) {
            op.endMessage();
        }
        return input(in);
    }
}
