package io.jhsm.bridge;

import static io.jhsm.bridge.ParamDecoder.struct;

import io.jhsm.pkcs11.MechanismParams;

/** The RSA padding and RSA-wrapping parameter structs (offsets are LP64). */
final class RsaParamDecoders {
    private RsaParamDecoders() {}

    /** CK_RSA_PKCS_PSS_PARAMS {hashAlg; mgf; sLen}. */
    static final ParamDecoder PSS = struct("CK_RSA_PKCS_PSS_PARAMS", 24,
            s -> new MechanismParams.Pss(s.ulong(0), s.ulong(8), s.ulong(16)));

    /** CK_RSA_PKCS_OAEP_PARAMS {hashAlg; mgf; source; pSourceData; ulSourceDataLen}. */
    static final ParamDecoder OAEP = struct("CK_RSA_PKCS_OAEP_PARAMS", 40, RsaParamDecoders::oaep);

    /**
     * CK_RSA_AES_KEY_WRAP_PARAMS {ulAESKeyBits; CK_RSA_PKCS_OAEP_PARAMS_PTR pOAEPParams}: the OAEP
     * struct is read where it points; a NULL pOAEPParams is passed as null (the engine refuses it).
     */
    static final ParamDecoder RSA_AES_KEY_WRAP = struct("CK_RSA_AES_KEY_WRAP_PARAMS", 16, s -> {
        ParamStruct oaep = s.follow(8);
        return new MechanismParams.RsaAesKeyWrap(s.ulong(0), oaep == null ? null : oaep(oaep));
    });

    private static MechanismParams.Oaep oaep(ParamStruct s) {
        return new MechanismParams.Oaep(s.ulong(0), s.ulong(8), s.ulong(16), s.bytes(24, 32));
    }
}
