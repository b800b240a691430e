package io.jhsm.bridge;

import static io.jhsm.bridge.ParamDecoder.struct;

import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.MechanismParams;

/** The key-derivation parameter structs with a fixed layout (offsets are LP64). */
final class DeriveParamDecoders {
    private DeriveParamDecoders() {}

    /** CK_ECDH1_DERIVE_PARAMS {kdf; ulSharedDataLen; pSharedData; ulPublicDataLen; pPublicData}. */
    static final ParamDecoder ECDH1 = struct("CK_ECDH1_DERIVE_PARAMS", 40,
            s -> new MechanismParams.Ecdh1Derive(s.ulong(0), s.bytes(16, 8), s.bytes(32, 24)));

    /**
     * CK_HKDF_PARAMS {CK_BBOOL bExtract; CK_BBOOL bExpand; (6 bytes padding) prfHashMechanism;
     * ulSaltType; pSalt; ulSaltLen; hSaltKey; pInfo; ulInfoLen}. pSalt is read only for
     * CKF_HKDF_SALT_DATA: for the other salt types the specification leaves it unused.
     */
    static final ParamDecoder HKDF = struct("CK_HKDF_PARAMS", 64, s -> {
        long saltType = s.ulong(16);
        byte[] salt = saltType == CKF.HKDF_SALT_DATA ? s.bytes(24, 32) : new byte[0];
        return new MechanismParams.Hkdf(s.bbool(0), s.bbool(1), s.ulong(8), saltType, salt, s.ulong(40), s.bytes(48, 56));
    });

    /** CK_KEY_DERIVATION_STRING_DATA {pData; ulLen}. */
    static final ParamDecoder DERIVATION_STRING = struct("CK_KEY_DERIVATION_STRING_DATA", 16,
            s -> new MechanismParams.DerivationString(s.bytes(0, 8)));

    /** CK_AES_CBC_ENCRYPT_DATA_PARAMS {CK_BYTE iv[16]; pData; length}. */
    static final ParamDecoder AES_CBC_ENCRYPT_DATA = struct("CK_AES_CBC_ENCRYPT_DATA_PARAMS", 32,
            s -> new MechanismParams.AesCbcEncryptData(s.inline(0, 16), s.bytes(16, 24)));

    /** A CK_OBJECT_HANDLE (CKM_CONCATENATE_BASE_AND_KEY: the key appended to the base). */
    static final ParamDecoder OBJECT_HANDLE = struct("CK_OBJECT_HANDLE", 8, s -> new MechanismParams.UlongValue(s.ulong(0)));

    /** CK_EXTRACT_PARAMS: a CK_ULONG, the bit index where CKM_EXTRACT_KEY_FROM_KEY starts. */
    static final ParamDecoder EXTRACT = struct("CK_EXTRACT_PARAMS", 8, s -> new MechanismParams.UlongValue(s.ulong(0)));
}
