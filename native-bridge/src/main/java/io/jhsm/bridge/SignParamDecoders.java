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
}
