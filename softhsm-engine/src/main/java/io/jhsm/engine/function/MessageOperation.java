package io.jhsm.engine.function;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A message-based operation in a session's slot (MESSAGE_ENCRYPT … MESSAGE_VERIFY): the mechanism and
 * key of the Init, the IVs used so far, and the message in progress between a Begin and its last Next.
 * It lives until C_Message*Final. A failing message ends only that message, so the operation can go
 * on with the next one: PKCS#11 lets the application keep the key's context across messages, and a
 * bad tag on one received message must not cost the others.
 */
final class MessageOperation {
    final Mechanism mechanism;
    final MechanismImpl impl;
    final KeyView key;
    final MessageIvs ivs = new MessageIvs();
    /** An AeadMessage, SignOperation or VerifyOperation between Begin and the last Next; null otherwise. */
    Object message;
    /** The Begin call's parameter: where a decryption finds its tag if the last Next passes none. */
    MechanismParams beginParam;
    private Held held;
    /** The call and input {@link #held} was computed for: only that call with that input receives it. */
    private Object heldFor;
    private byte[] heldInput;

    /** A step's output, with the IV and tag that go back into the caller's parameter, held across a length query. */
    record Held(byte[] output, byte[] iv, byte[] tag) {
        static Held of(byte[] output) {
            return new Held(output, null, null);
        }
    }

    private MessageOperation(Mechanism mechanism, MechanismImpl impl, KeyView key) {
        this.mechanism = mechanism;
        this.impl = impl;
        this.key = key;
    }

    /**
     * Key type, key size and the Init's own parameter are judged at Init, as for the other Init calls,
     * by building the operation once: for the AEADs with a throw-away IV (their Init takes no
     * parameter; the IV comes with each message), for the MACs with the Init's mechanism as given
     * (a _GENERAL HMAC takes its MAC length there).
     */
    static MessageOperation open(OperationKind kind, Mechanism mechanism, MechanismImpl impl, KeyView key) {
        switch (kind) {
            case MESSAGE_SIGN -> impl.sign(mechanism, key);
            case MESSAGE_VERIFY -> impl.verify(mechanism, key);
            default -> {
                if (mechanism.params() != null) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type())
                            + " message-based Init takes no parameter: the IV and tag go with each message");
                }
                Mechanism probe = mechanism.type() == CKM.AES_GCM
                        ? Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(new byte[12], 96, new byte[0], 128))
                        : Mechanism.of(mechanism.type(), new MechanismParams.Ccm(0, new byte[12], new byte[0], 16));
                impl.decrypt(probe, key);
            }
        }
        return new MessageOperation(mechanism, impl, key);
    }

    void endMessage() {
        message = null;
        beginParam = null;
        held = null;
        heldFor = null;
        heldInput = null;
    }

    /**
     * The PKCS#11 output protocol for one step, as ActiveOperation has it for the other functions: a
     * length query or a buffer below {@code bound} is answered from it without computing when the
     * mechanism can tell it;
     * otherwise the output is computed once and held for the same call ({@code call}) with the same
     * input only. A single-message call ({@code repeatable}: nothing of the operation is spent by it)
     * simply computes again for a different input; a held part of a multi-part message answers another
     * call with CKR_OPERATION_ACTIVE and ends the message. The IV and tag are written into the
     * parameter whenever the output is known. A failure ends the message (not the operation).
     */
    int deliver(byte[] out, MechanismParams param, boolean endsMessage, Object call, byte[] input, boolean repeatable,
                IntSupplier bound, Supplier<Held> step) {
        if (held != null && !(call.equals(heldFor) && Arrays.equals(input, heldInput))) {
            if (!repeatable) {
                endMessage();
                throw new CkException(CKR.OPERATION_ACTIVE, "an output computed for an earlier call waits for that call with the same input");
            }
            held = null;
        }
        if (held == null) {
            int length = bound.getAsInt();
            if (length >= 0 && (out == null || out.length < length)) {
                if (out == null) {
                    return length;
                }
                throw new BufferTooSmallException(length);
            }
            try {
                held = step.get();
            } catch (RuntimeException e) {
                endMessage();
                throw e;
            }
            heldFor = call;
            heldInput = input == null ? null : input.clone();
        }
        Held h = held;
        writeBack(param, h.iv(), h.tag());
        if (out == null) {
            return h.output().length;
        }
        if (out.length < h.output().length) {
            throw new BufferTooSmallException(h.output().length);
        }
        System.arraycopy(h.output(), 0, out, 0, h.output().length);
        held = null;
        heldFor = null;
        heldInput = null;
        if (endsMessage) {
            endMessage();
        }
        return h.output().length;
    }

    /** Fills the in/out arrays of a GCM or CCM message parameter in place (null values are left alone). */
    static void writeBack(MechanismParams param, byte[] iv, byte[] tag) {
        byte[] ivField = null;
        byte[] tagField = null;
        if (param instanceof MechanismParams.GcmMessage g) {
            ivField = g.iv();
            tagField = g.tag();
        } else if (param instanceof MechanismParams.CcmMessage c) {
            ivField = c.nonce();
            tagField = c.mac();
        }
        if (iv != null && ivField != null && ivField.length == iv.length) {
            System.arraycopy(iv, 0, ivField, 0, iv.length);
        }
        if (tag != null && tagField != null && tagField.length >= tag.length) {
            System.arraycopy(tag, 0, tagField, 0, tag.length);
        }
    }

    /** The tag a decryption checks: pTag of CK_GCM_MESSAGE_PARAMS, pMAC of CK_CCM_MESSAGE_PARAMS. */
    static byte[] tagOf(MechanismParams param) {
        if (param instanceof MechanismParams.GcmMessage g) {
            return g.tag();
        }
        return param instanceof MechanismParams.CcmMessage c ? c.mac() : null;
    }
}
