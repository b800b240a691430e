package io.jhsm.engine.profile;

import static io.jhsm.pkcs11.CKF.DECRYPT;
import static io.jhsm.pkcs11.CKF.DERIVE;
import static io.jhsm.pkcs11.CKF.DIGEST;
import static io.jhsm.pkcs11.CKF.ENCRYPT;
import static io.jhsm.pkcs11.CKF.GENERATE;
import static io.jhsm.pkcs11.CKF.GENERATE_KEY_PAIR;
import static io.jhsm.pkcs11.CKF.SIGN;
import static io.jhsm.pkcs11.CKF.UNWRAP;
import static io.jhsm.pkcs11.CKF.VERIFY;
import static io.jhsm.pkcs11.CKF.WRAP;

import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkMechanismInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Which mechanisms a token offers, by profile: the one filter behind C_GetMechanismList, C_GetMechanismInfo and
 * every function that takes a mechanism (the registry's views, {@code MechanismRegistry#offering}). A cloudhsm-profile
 * token offers only what CloudHSM's Client SDK 5 PKCS#11 library lists (pkcs11-mechanisms.html), and each only for
 * the functions it is listed under (CKM_SHA256_HMAC signs but does not encrypt; CKM_RSA_PKCS_PSS signs but does not
 * wrap); the mechanism's other CKF_ function flags are dropped, and one with none left is absent
 * (CKR_MECHANISM_INVALID). CloudHSM's vendor mechanisms (CKM_CLOUDHSM_*) exist only there: a pkcs11-profile token
 * offers every implemented mechanism but those.
 */
public final class CloudHsmMechanisms {
    private static final long CRYPT = ENCRYPT | DECRYPT;
    private static final long SIGNS = SIGN | VERIFY;
    private static final long WRAPS = WRAP | UNWRAP;
    /** Every flag that names a function a mechanism serves; the others (CKF_EC_*, CKF_HW …) describe it. */
    private static final long FUNCTIONS = CRYPT | DIGEST | SIGNS | CKF.SIGN_RECOVER | CKF.VERIFY_RECOVER | GENERATE
            | GENERATE_KEY_PAIR | WRAPS | DERIVE | CKF.MESSAGE_ENCRYPT | CKF.MESSAGE_DECRYPT | CKF.MESSAGE_SIGN
            | CKF.MESSAGE_VERIFY | CKF.MULTI_MESSAGE | CKF.ENCAPSULATE | CKF.DECAPSULATE;

    /** SDK 5's mechanisms with the functions its page lists each under. */
    private static final Map<Long, Long> SDK5 = new HashMap<>();

    static {
        // Generate key and key pair
        sdk5(GENERATE_KEY_PAIR, CKM.RSA_PKCS_KEY_PAIR_GEN, CKM.RSA_X9_31_KEY_PAIR_GEN, CKM.EC_KEY_PAIR_GEN);
        sdk5(GENERATE, CKM.GENERIC_SECRET_KEY_GEN, CKM.AES_KEY_GEN, CKM.DES3_KEY_GEN);
        // Sign and verify (RSA, ECDSA, HMAC, CMAC)
        sdk5(SIGNS, CKM.RSA_X_509, CKM.RSA_PKCS, CKM.RSA_PKCS_PSS, CKM.SHA1_RSA_PKCS, CKM.SHA224_RSA_PKCS,
                CKM.SHA256_RSA_PKCS, CKM.SHA384_RSA_PKCS, CKM.SHA512_RSA_PKCS, CKM.SHA1_RSA_PKCS_PSS,
                CKM.SHA224_RSA_PKCS_PSS, CKM.SHA256_RSA_PKCS_PSS, CKM.SHA384_RSA_PKCS_PSS, CKM.SHA512_RSA_PKCS_PSS,
                CKM.ECDSA, CKM.ECDSA_SHA1, CKM.ECDSA_SHA224, CKM.ECDSA_SHA256, CKM.ECDSA_SHA384, CKM.ECDSA_SHA512,
                CKM.SHA_1_HMAC, CKM.SHA224_HMAC, CKM.SHA256_HMAC, CKM.SHA384_HMAC, CKM.SHA512_HMAC, CKM.AES_CMAC);
        // Digest
        sdk5(DIGEST, CKM.SHA_1, CKM.SHA224, CKM.SHA256, CKM.SHA384, CKM.SHA512);
        // Encrypt and decrypt
        sdk5(CRYPT, CKM.RSA_X_509, CKM.RSA_PKCS, CKM.RSA_PKCS_OAEP, CKM.AES_ECB, CKM.AES_CTR, CKM.AES_CBC,
                CKM.AES_CBC_PAD, CKM.DES3_CBC, CKM.DES3_ECB, CKM.DES3_CBC_PAD, CKM.AES_GCM, CKM.CLOUDHSM_AES_GCM);
        // Derive key (SDK 5's header numbers its counter KDF as a vendor mechanism; jhsm offers the standard one)
        sdk5(DERIVE, CKM.SP800_108_COUNTER_KDF, CKM.ECDH1_DERIVE);
        // Wrap and unwrap
        sdk5(WRAPS, CKM.RSA_PKCS, CKM.RSA_PKCS_OAEP, CKM.AES_GCM, CKM.CLOUDHSM_AES_GCM, CKM.RSA_AES_KEY_WRAP,
                CKM.CLOUDHSM_AES_KEY_WRAP_NO_PAD, CKM.CLOUDHSM_AES_KEY_WRAP_PKCS5_PAD, CKM.CLOUDHSM_AES_KEY_WRAP_ZERO_PAD);
    }

    /**
     * SDK 5's "Maximum data size for each mechanism" (bytes of data in one call). CKM_AES_GCM and CKM_CLOUDHSM_AES_GCM
     * are in that table too; their limit is enforced with the rest of CloudHSM's GCM behaviour.
     */
    private static final Map<Long, Integer> MAX_DATA = Map.of(
            CKM.SHA_1_HMAC, 16288, CKM.SHA224_HMAC, 16256, CKM.SHA256_HMAC, 16288, CKM.SHA384_HMAC, 16224,
            CKM.SHA512_HMAC, 16224, CKM.AES_CBC, 16272, CKM.DES3_CBC, 16280);

    private CloudHsmMechanisms() {}

    /**
     * The check of each call's data for an operation of {@code kind} with mechanism {@code type}: on a
     * cloudhsm-profile token, SDK 5's maximum data size, refused with CKR_DATA_LEN_RANGE (CKR_ENCRYPTED_DATA_LEN_RANGE
     * for a decryption's input, the codes PKCS#11 gives a too long input; CloudHSM's page names none). Null: no limit.
     */
    public static IntConsumer dataLimit(Token t, OperationKind kind, long type) {
        Integer max = t.cloudHsmProfile() ? MAX_DATA.get(type) : null;
        if (max == null) {
            return null;
        }
        boolean decrypt = kind == OperationKind.DECRYPT;
        long rv = decrypt ? CKR.ENCRYPTED_DATA_LEN_RANGE : CKR.DATA_LEN_RANGE;
        String where = switch (kind) {
            case ENCRYPT -> "C_Encrypt/C_EncryptUpdate";
            case DECRYPT -> "C_Decrypt/C_DecryptUpdate";
            case SIGN -> "C_Sign/C_SignUpdate";
            case VERIFY -> "C_Verify/C_VerifyUpdate";
            default -> kind.name();
        };
        return length -> {
            if (length > max) {
                throw CloudHsmRefusal.refuse(rv, where, "CloudHSM's PKCS#11 library takes at most " + max + " bytes of data"
                        + " per call with " + CKM.name(type) + " (" + length + " given)",
                        "pass at most " + max + " bytes in each call");
            }
        };
    }

    private static void sdk5(long functions, long... types) {
        for (long type : types) {
            SDK5.merge(type, functions, (a, b) -> a | b);
        }
    }

    /** Whether the type is a vendor mechanism (CKM_VENDOR_DEFINED and up): CloudHSM's, offered only under its profile. */
    public static boolean vendor(long type) {
        return (type & CKM.VENDOR_DEFINED) != 0;
    }

    /**
     * The row as a pkcs11-profile token offers it: every implemented mechanism but the vendor ones and
     * CKM_RSA_X9_31_KEY_PAIR_GEN, which jhsm implements as CloudHSM describes it ("functionally identical" to
     * CKM_RSA_PKCS_KEY_PAIR_GEN), not with ANSI X9.31's prime generation the specification asks for.
     */
    public static MechanismEntry onPkcs11Token(MechanismEntry e) {
        return vendor(e.type()) || e.type() == CKM.RSA_X9_31_KEY_PAIR_GEN ? null : e;
    }

    /** The row as a cloudhsm-profile token offers it: SDK 5's functions only, or null when SDK 5 lacks the mechanism. */
    public static MechanismEntry onCloudHsmToken(MechanismEntry e) {
        Long listed = SDK5.get(e.type());
        if (listed == null) {
            return null;
        }
        CkMechanismInfo info = e.info();
        long flags = info.flags() & ~(FUNCTIONS & ~listed);
        if ((flags & FUNCTIONS) == 0) {
            return null;
        }
        return flags == info.flags() ? e
                : new MechanismEntry(e.type(), new CkMechanismInfo(info.minKeySize(), info.maxKeySize(), flags), e.impl());
    }
}
