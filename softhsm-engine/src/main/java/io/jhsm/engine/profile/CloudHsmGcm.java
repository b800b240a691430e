package io.jhsm.engine.profile;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.session.ActiveOperation;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * AES-GCM on a cloudhsm-profile token, as CloudHSM's Client SDK 5 library documents it:
 * <ul>
 *   <li>CKM_AES_GCM encryption and wrapping take no IV from the application: the HSM generates 12 bytes and
 *       writes them into the caller's pIv, which must point to ulIvLen = 12 zeroed bytes
 *       (pkcs11-mechanisms.html, annotation 1). Decryption and unwrapping take the IV as given.</li>
 *   <li>C_Encrypt / C_Decrypt with CKM_AES_GCM or CKM_CLOUDHSM_AES_GCM take at most 16224 bytes of data
 *       (same page, "Maximum data size" and annotation 2); multi-part AES-GCM does not exist, and
 *       C_EncryptUpdate / C_DecryptUpdate answer CKR_MECHANISM_INVALID (ki-pkcs11-sdk.html, the 16 KB issue).</li>
 * </ul>
 * CloudHSM names no CK_RV for a refused IV or an oversized buffer; these keep the specification's
 * (CKR_MECHANISM_PARAM_INVALID, CKR_DATA_LEN_RANGE / CKR_ENCRYPTED_DATA_LEN_RANGE). On a pkcs11 token every
 * method here leaves the call as it was.
 */
public final class CloudHsmGcm {
    /** The IV the HSM generates (pkcs11-mechanisms.html, annotation 1). */
    public static final int IV_BYTES = 12;
    /** CKM_AES_GCM's and CKM_CLOUDHSM_AES_GCM's "Maximum data size in bytes" (pkcs11-mechanisms.html). */
    public static final int MAX_DATA_BYTES = 16224;

    private CloudHsmGcm() {}

    /**
     * C_EncryptInit / C_DecryptInit: {@code make} creates the mechanism's operation. On a cloudhsm token, a
     * CKM_AES_GCM encryption first gets the HSM's IV in the caller's pIv array (in place: the bridge copies
     * it back to the application), and either GCM mechanism's operation is marked for the size and
     * single-part rules ({@link #checkDataSize}, {@link #refuseMultiPart}).
     */
    public static <T> T init(Token token, OperationKind kind, Mechanism mechanism, Supplier<T> make) {
        if (!token.cloudHsmProfile() || !isGcm(mechanism.type()) || (kind != OperationKind.ENCRYPT && kind != OperationKind.DECRYPT)) {
            return make.get();
        }
        boolean encrypt = kind == OperationKind.ENCRYPT;
        if (encrypt && mechanism.type() == CKM.AES_GCM && mechanism.params() instanceof MechanismParams.Gcm p) {
            requireZeroedIv(p, "C_EncryptInit");
            LazyRandom.get().nextBytes(p.iv());
        }
        T made = make.get(); // a parameter of another type was refused here, as the specification says
        MechanismParams.Gcm gcm = (MechanismParams.Gcm) mechanism.params();
        int overhead = (int) (gcm.tagBits() / 8) + (mechanism.type() == CKM.CLOUDHSM_AES_GCM ? IV_BYTES : 0);
        @SuppressWarnings("unchecked")
        T marked = (T) new CloudHsmGcmOperation((CipherOperation) made, encrypt, overhead);
        return marked;
    }

    /**
     * C_WrapKey: {@code wrap} wraps with the mechanism it is given. On a cloudhsm token, CKM_AES_GCM's pIv is
     * checked as for encryption and the key is wrapped under a fresh HSM IV, which replaces the caller's zeroes
     * only when the wrapped key is returned (it fits {@code out}): a length query, or a too-small buffer, leaves
     * pIv zeroed, so the usual query-then-call with the same parameter works (as CloudHSM's own wrap sample does).
     */
    public static byte[] wrap(Token token, Mechanism mechanism, byte[] out, Function<Mechanism, byte[]> wrap) {
        if (!token.cloudHsmProfile() || mechanism.type() != CKM.AES_GCM || !(mechanism.params() instanceof MechanismParams.Gcm p)) {
            return wrap.apply(mechanism);
        }
        requireZeroedIv(p, "C_WrapKey");
        byte[] iv = new byte[IV_BYTES];
        LazyRandom.get().nextBytes(iv);
        byte[] blob = wrap.apply(Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(iv, p.ivBits(), p.aad(), p.tagBits())));
        if (out != null && out.length >= blob.length) {
            System.arraycopy(iv, 0, p.iv(), 0, IV_BYTES);
        }
        return blob;
    }

    /** C_Encrypt / C_Decrypt: more than {@link #MAX_DATA_BYTES} of data is refused, and ends the operation. */
    public static void checkDataSize(ActiveOperation<? extends CipherOperation> op, byte[] input) {
        if (op.operation() instanceof CloudHsmGcmOperation g && input.length - g.overhead() > MAX_DATA_BYTES) {
            op.end();
            String function = g.encrypt() ? "C_Encrypt" : "C_Decrypt";
            throw CloudHsmRefusal.refuse(g.encrypt() ? CKR.DATA_LEN_RANGE : CKR.ENCRYPTED_DATA_LEN_RANGE, function,
                    "AES-GCM takes at most " + MAX_DATA_BYTES + " bytes of data in one " + function + ", got "
                            + Math.max(0, input.length - g.overhead()),
                    g.encrypt() ? "split the data into pieces of at most " + MAX_DATA_BYTES + " bytes and encrypt each with its own"
                            + " C_Encrypt (each gets its own IV), or use CKM_AES_CBC_PAD"
                            : "decrypt each piece as it was encrypted: CloudHSM never makes GCM ciphertext of more than "
                            + MAX_DATA_BYTES + " bytes of data");
        }
    }

    /** C_EncryptUpdate / C_DecryptUpdate: CloudHSM has no multi-part AES-GCM; refused, ending the operation. */
    public static void refuseMultiPart(ActiveOperation<? extends CipherOperation> op) {
        if (op.operation() instanceof CloudHsmGcmOperation g) {
            op.end();
            throw CloudHsmRefusal.refuse(CKR.MECHANISM_INVALID, g.encrypt() ? "C_EncryptUpdate" : "C_DecryptUpdate",
                    "CloudHSM does not support multi-part AES-GCM",
                    "use single-part C_Encrypt / C_Decrypt (at most " + MAX_DATA_BYTES + " bytes each)");
        }
    }

    private static boolean isGcm(long type) {
        return type == CKM.AES_GCM || type == CKM.CLOUDHSM_AES_GCM;
    }

    /** The caller's pIv must be 12 zeroed bytes, for the HSM to write its IV into. */
    private static void requireZeroedIv(MechanismParams.Gcm p, String where) {
        byte[] iv = p.iv();
        if (iv.length == 0 && p.ivBits() == 0) {
            throw CloudHsmRefusal.refuse(CKR.MECHANISM_PARAM_INVALID, where,
                    "CKM_AES_GCM needs 'ulIvBits' or 'ulIvLen' to be non-zero: the HSM writes its 12-byte IV into pIv",
                    "pass pIv pointing to 12 zeroed bytes with ulIvLen = 12, and read the IV from it after the call");
        }
        if (iv.length != IV_BYTES) {
            throw CloudHsmRefusal.refuse(CKR.MECHANISM_PARAM_INVALID, where,
                    "CKM_AES_GCM's IV is generated by the HSM and is 12 bytes, but ulIvLen is " + iv.length,
                    "pass pIv pointing to 12 zeroed bytes with ulIvLen = 12, and read the IV from it after the call");
        }
        for (byte b : iv) {
            if (b != 0) {
                throw CloudHsmRefusal.refuse(CKR.MECHANISM_PARAM_INVALID, where,
                        "IV invalid: CloudHSM expects the IV to be all 0, since the HSM generates it and accepts none from the application",
                        "zero the 12-byte pIv buffer before the call and read the HSM's IV from it afterwards, or use CKM_CLOUDHSM_AES_GCM"
                                + " (the IV then comes in front of the ciphertext)");
            }
        }
    }
}
