package io.jhsm.bridge;

import static io.jhsm.bridge.ParamDecoder.struct;

import io.jhsm.pkcs11.MechanismParams;

/** Parameters of signature and MAC mechanisms other than RSA's (offsets are LP64). */
final class SignParamDecoders {
    private SignParamDecoders() {}

    /** CK_MAC_GENERAL_PARAMS: one CK_ULONG, the MAC length in bytes. */
    static final ParamDecoder MAC_GENERAL = struct("CK_MAC_GENERAL_PARAMS", 8, s -> new MechanismParams.UlongValue(s.ulong(0)));

    /**
     * CK_EDDSA_PARAMS {CK_BBOOL phFlag; (7 bytes padding) ulContextDataLen; pContextData}. A NULL
     * parameter (pure EdDSA) never gets here: it reaches the engine as "no parameter".
     */
    static final ParamDecoder EDDSA = struct("CK_EDDSA_PARAMS", 24,
            s -> new MechanismParams.Eddsa(s.bbool(0), s.bytes(16, 8)));

    /** FIPS 204/205 contexts are at most 255 bytes: longer is refused before reading a byte of it. */
    private static final long MAX_CONTEXT = 255;

    /**
     * CK_SIGN_ADDITIONAL_CONTEXT {CK_HEDGE_TYPE hedgeVariant; CK_BYTE_PTR pContext; CK_ULONG ulContextLen}
     * (PKCS#11 3.2), for CKM_ML_DSA, CKM_SLH_DSA and their CKM_HASH_*_&lt;hash&gt; forms.
     */
    static final ParamDecoder SIGN_ADDITIONAL_CONTEXT = struct("CK_SIGN_ADDITIONAL_CONTEXT", 24,
            s -> new MechanismParams.SignAdditionalContext(s.ulong(0), context(s)));

    /** CK_HASH_SIGN_ADDITIONAL_CONTEXT: the same, then CK_MECHANISM_TYPE hash; for CKM_HASH_ML_DSA and CKM_HASH_SLH_DSA. */
    static final ParamDecoder HASH_SIGN_ADDITIONAL_CONTEXT = struct("CK_HASH_SIGN_ADDITIONAL_CONTEXT", 32,
            s -> new MechanismParams.HashSignAdditionalContext(s.ulong(0), context(s), s.ulong(24)));

    private static byte[] context(ParamStruct s) {
        if (Long.compareUnsigned(s.ulong(16), MAX_CONTEXT) > 0) {
            throw ParamStruct.invalid("context of " + Long.toUnsignedString(s.ulong(16)) + " bytes; at most 255");
        }
        return s.bytes(8, 16);
    }
}
