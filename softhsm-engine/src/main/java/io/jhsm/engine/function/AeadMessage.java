package io.jhsm.engine.function;

import io.jhsm.engine.mechanism.Bytes;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;

/**
 * One AES-GCM or AES-CCM message of a message-based operation. It runs on the mechanism's own
 * single-message cipher (CK_GCM_PARAMS / CK_CCM_PARAMS built from the per-message parameter and the
 * associated data), so the message API and C_Encrypt share one implementation. The message API keeps
 * the tag apart from the ciphertext: encryption holds back the last tag-length bytes of output and
 * hands them out as the tag; decryption appends the caller's tag to the ciphertext at the end.
 */
final class AeadMessage {
    private static final byte[] NOTHING = new byte[0];

    private final CipherOperation cipher;
    private final boolean encrypt;
    private final int tagBytes;
    private final byte[] iv;
    private final long generator;
    private byte[] tail = NOTHING;

    private AeadMessage(CipherOperation cipher, boolean encrypt, int tagBytes, byte[] iv, long generator) {
        this.cipher = cipher;
        this.encrypt = encrypt;
        this.tagBytes = tagBytes;
        this.iv = iv;
        this.generator = generator;
    }

    /**
     * Starts a message: checks the parameter's type, forms the IV when encrypting and builds the
     * cipher. The IV counts as used once the cipher accepted it.
     */
    static AeadMessage start(long mechanism, MechanismImpl impl, KeyView key, boolean encrypt, MessageIvs ivs,
                             MechanismParams param, byte[] aad) {
        byte[] callerIv;
        long fixedBits;
        long generator;
        int tagBytes;
        if (mechanism == CKM.AES_GCM && param instanceof MechanismParams.GcmMessage g) {
            callerIv = g.iv();
            fixedBits = g.ivFixedBits();
            generator = g.ivGenerator();
            if (g.tagBits() % 8 != 0 || g.tag() == null || g.tag().length < g.tagBits() / 8) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "pTag must hold ulTagBits (a multiple of 8) bits");
            }
            tagBytes = (int) (g.tagBits() / 8);
        } else if (mechanism == CKM.AES_CCM && param instanceof MechanismParams.CcmMessage c) {
            callerIv = c.nonce();
            fixedBits = c.nonceFixedBits();
            generator = c.nonceGenerator();
            tagBytes = c.mac() == null ? 0 : c.mac().length;
        } else {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism) + " messages need "
                    + (mechanism == CKM.AES_GCM ? "CK_GCM_MESSAGE_PARAMS" : "CK_CCM_MESSAGE_PARAMS")
                    + (param == null ? ", got none" : ", got " + param.getClass().getSimpleName()));
        }
        if (callerIv == null || callerIv.length == 0) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "no IV");
        }
        // Decryption takes the IV as given: the generator describes how the sender formed it.
        byte[] iv = encrypt ? ivs.next(callerIv, fixedBits, generator) : callerIv.clone();
        Mechanism single = param instanceof MechanismParams.GcmMessage g
                ? Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(iv, 8L * iv.length, aad, g.tagBits()))
                : Mechanism.of(CKM.AES_CCM, new MechanismParams.Ccm(((MechanismParams.CcmMessage) param).dataLen(), iv, aad, tagBytes));
        CipherOperation cipher = encrypt ? impl.encrypt(single, key) : impl.decrypt(single, key);
        if (encrypt) {
            ivs.commit(iv, generator);
        }
        return new AeadMessage(cipher, encrypt, tagBytes, iv, generator);
    }

    /** The IV this message uses (generated or the caller's). */
    byte[] iv() {
        return iv;
    }

    long generator() {
        return generator;
    }

    /** A part of the message: the output it releases (decryption releases nothing before the tag is checked). */
    byte[] update(byte[] part) {
        return encrypt ? holdBackTag(cipher.update(part)) : cipher.update(part);
    }

    /**
     * The last output. Encrypting, {@code tagOut} receives the tag; decrypting, {@code tagIn} is the
     * tag to check (CKR_ENCRYPTED_DATA_INVALID when it does not authenticate).
     */
    byte[] finish(byte[] tagIn, byte[] tagOut) {
        if (encrypt) {
            byte[] all = Bytes.concat(tail, cipher.doFinal());
            if (all.length < tagBytes) {
                throw new CkException(CKR.GENERAL_ERROR, "the cipher produced no whole tag");
            }
            System.arraycopy(all, all.length - tagBytes, tagOut, 0, tagBytes);
            return Arrays.copyOf(all, all.length - tagBytes);
        }
        if (tagIn == null || tagIn.length < tagBytes) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "no tag of " + tagBytes + " bytes to check");
        }
        return Bytes.concat(cipher.update(Arrays.copyOf(tagIn, tagBytes)), cipher.doFinal());
    }

    /** An upper bound of what update (or, when {@code last}, update and finish) releases, without running them; negative if unknown. */
    int outputBound(int partLength, boolean last) {
        int bound = cipher.outputBound(last && !encrypt ? partLength + tagBytes : partLength, last);
        if (bound < 0 || !encrypt) {
            return bound;
        }
        return Math.max(0, tail.length + bound - (last ? tagBytes : 0));
    }

    int tagBytes() {
        return tagBytes;
    }

    /** Releases all but the last tagBytes of the output so far, which may turn out to be the tag. */
    private byte[] holdBackTag(byte[] produced) {
        byte[] all = Bytes.concat(tail, produced);
        int keep = Math.min(tagBytes, all.length);
        tail = Arrays.copyOfRange(all, all.length - keep, all.length);
        return Arrays.copyOf(all, all.length - keep);
    }

}
