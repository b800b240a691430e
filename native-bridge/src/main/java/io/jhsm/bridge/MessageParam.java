package io.jhsm.bridge;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.MechanismParams;

/**
 * The per-message parameter (pParameter, ulParameterLen) of the PKCS#11 3.0 message functions. The
 * bridge does not know the session's mechanism, so the struct is told by its size, which is unique
 * among the message parameters jhsm supports (LP64, no padding):
 * <ul>
 *   <li>48 bytes, CK_GCM_MESSAGE_PARAMS: pIv, ulIvLen, ulIvFixedBits, ivGenerator, pTag, ulTagBits;</li>
 *   <li>56 bytes, CK_CCM_MESSAGE_PARAMS: ulDataLen, pNonce, ulNonceLen, ulNonceFixedBits,
 *       nonceGenerator, pMAC, ulMACLen;</li>
 *   <li>NULL: none (the HMACs); anything else is passed as raw bytes for the engine to refuse.</li>
 * </ul>
 * The IV and tag are in/out ({@link InOutBytes}): {@link #writeBack} copies what the engine wrote into the
 * Java arrays back to the caller's memory, only where it changed.
 */
final class MessageParam {
    static final int GCM_SIZE = 48;
    static final int CCM_SIZE = 56;

    final MechanismParams value;
    private final InOutBytes iv;
    private final InOutBytes tag;

    private MessageParam(MechanismParams value, long pIv, byte[] iv, long pTag, byte[] tag) {
        this.value = value;
        this.iv = InOutBytes.of(pIv, iv);
        this.tag = InOutBytes.of(pTag, tag);
    }

    static MessageParam decode(long p, long len) {
        if (p == 0) {
            if (len != 0) {
                throw new CkException(CKR.ARGUMENTS_BAD, "NULL parameter with length " + Long.toUnsignedString(len));
            }
            return new MessageParam(null, 0, null, 0, null);
        }
        Pointer s = NativeMem.at(p);
        if (len == GCM_SIZE) {
            long tagBits = s.getLong(40);
            byte[] iv = bytes(s.getLong(0), s.getLong(8));
            byte[] tag = bytes(s.getLong(32), Long.compareUnsigned(tagBits, 1L << 20) > 0 ? -1 : (tagBits + 7) / 8);
            return new MessageParam(new MechanismParams.GcmMessage(iv, s.getLong(16), s.getLong(24), tag, tagBits),
                    s.getLong(0), iv, s.getLong(32), tag);
        }
        if (len == CCM_SIZE) {
            byte[] nonce = bytes(s.getLong(8), s.getLong(16));
            byte[] mac = bytes(s.getLong(40), s.getLong(48));
            return new MessageParam(new MechanismParams.CcmMessage(s.getLong(0), nonce, s.getLong(24), s.getLong(32), mac),
                    s.getLong(8), nonce, s.getLong(40), mac);
        }
        return new MessageParam(new MechanismParams.Bytes(NativeMem.input(p, len, CKR.MECHANISM_PARAM_INVALID)), 0, null, 0, null);
    }

    /** After an encryption call: the generated IV and the tag, to the caller's pIv / pTag (pNonce / pMAC). */
    void writeBack() {
        iv.writeBack();
        tag.writeBack();
    }

    /** A (pointer, length) pair inside the struct; NULL with a length, or a huge length, is a bad parameter. */
    private static byte[] bytes(long ptr, long len) {
        if (ptr == 0 && len != 0) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "NULL pointer with length in message parameter");
        }
        return NativeMem.input(ptr, len, CKR.MECHANISM_PARAM_INVALID);
    }
}
