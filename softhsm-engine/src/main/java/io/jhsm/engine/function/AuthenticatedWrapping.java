package io.jhsm.engine.function;

import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;

/**
 * C_WrapKeyAuthenticated and C_UnwrapKeyAuthenticated (PKCS#11 3.2) are C_WrapKey and C_UnwrapKey with
 * an AEAD whose associated data comes as its own argument. Rather than a second wrapping path, the
 * associated data is placed in the mechanism's own AAD field, so the wrap policy and the cipher are the
 * ones C_WrapKey uses. Only the AEAD mechanisms jhsm wraps with qualify: CKM_AES_GCM and
 * CKM_CHACHA20_POLY1305 (CKM_AES_CCM does not wrap here). AAD given both in the parameters and as the
 * argument is refused rather than combined in an order the caller cannot know.
 */
public final class AuthenticatedWrapping {
    private AuthenticatedWrapping() {}

    /** The associated data of an authenticated call; the C side passes an empty array for none. */
    public static byte[] required(byte[] associatedData) {
        if (associatedData == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no associated data");
        }
        return associatedData;
    }

    /** {@code mechanism} itself for a plain C_WrapKey/C_UnwrapKey (null associated data). */
    static Mechanism withAssociatedData(Mechanism mechanism, byte[] associatedData) {
        if (associatedData == null) {
            return mechanism;
        }
        if (mechanism.type() != CKM.AES_GCM && mechanism.type() != CKM.CHACHA20_POLY1305) {
            throw new CkException(CKR.MECHANISM_INVALID, CKM.name(mechanism.type()) + " is not an authenticated wrapping mechanism");
        }
        MechanismParams p = mechanism.params();
        if (p instanceof MechanismParams.Gcm g && empty(g.aad())) {
            return Mechanism.of(mechanism.type(), new MechanismParams.Gcm(g.iv(), g.ivBits(), associatedData.clone(), g.tagBits()));
        }
        if (p instanceof MechanismParams.ChaCha20Poly1305 c && empty(c.aad())) {
            return Mechanism.of(mechanism.type(), new MechanismParams.ChaCha20Poly1305(c.nonce(), associatedData.clone()));
        }
        throw new CkException(CKR.MECHANISM_PARAM_INVALID,
                "the mechanism's own parameters, without AAD, are required: the associated data is the call's argument");
    }

    private static boolean empty(byte[] aad) {
        return aad == null || aad.length == 0;
    }
}
