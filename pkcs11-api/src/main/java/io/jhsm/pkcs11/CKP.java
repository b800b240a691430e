package io.jhsm.pkcs11;

/** PKCS#11 Profile identifiers (PKCS#11 3.0). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKP {
    private CKP() {}

    public static final long INVALID_ID = 0x0L;
    public static final long BASELINE_PROVIDER = 0x1L;
    public static final long EXTENDED_PROVIDER = 0x2L;
    public static final long AUTHENTICATION_TOKEN = 0x3L;
    public static final long PUBLIC_CERTIFICATES_TOKEN = 0x4L;
    /** CK_PKCS5_PBKD2_PSEUDO_RANDOM_FUNCTION_TYPE values, which share the CKP_ prefix with profiles. */
    public static final long PKCS5_PBKD2_HMAC_SHA1 = 0x1L;
    public static final long PKCS5_PBKD2_HMAC_GOSTR3411 = 0x2L;
    public static final long PKCS5_PBKD2_HMAC_SHA224 = 0x3L;
    public static final long PKCS5_PBKD2_HMAC_SHA256 = 0x4L;
    public static final long PKCS5_PBKD2_HMAC_SHA384 = 0x5L;
    public static final long PKCS5_PBKD2_HMAC_SHA512 = 0x6L;
    public static final long PKCS5_PBKD2_HMAC_SHA512_224 = 0x7L;
    public static final long PKCS5_PBKD2_HMAC_SHA512_256 = 0x8L;
    /** PKCS#11 3.2 CK_ML_DSA_PARAMETER_SET_TYPE values (CKA_PARAMETER_SET of CKK_ML_DSA keys). */
    public static final long ML_DSA_44 = 0x1L;
    public static final long ML_DSA_65 = 0x2L;
    public static final long ML_DSA_87 = 0x3L;
    /** PKCS#11 3.2 CK_ML_KEM_PARAMETER_SET_TYPE values. */
    public static final long ML_KEM_512 = 0x1L;
    public static final long ML_KEM_768 = 0x2L;
    public static final long ML_KEM_1024 = 0x3L;
    /** PKCS#11 3.2 CK_SLH_DSA_PARAMETER_SET_TYPE values. */
    public static final long SLH_DSA_SHA2_128S = 0x1L;
    public static final long SLH_DSA_SHAKE_128S = 0x2L;
    public static final long SLH_DSA_SHA2_128F = 0x3L;
    public static final long SLH_DSA_SHAKE_128F = 0x4L;
    public static final long SLH_DSA_SHA2_192S = 0x5L;
    public static final long SLH_DSA_SHAKE_192S = 0x6L;
    public static final long SLH_DSA_SHA2_192F = 0x7L;
    public static final long SLH_DSA_SHAKE_192F = 0x8L;
    public static final long SLH_DSA_SHA2_256S = 0x9L;
    public static final long SLH_DSA_SHAKE_256S = 0xAL;
    public static final long SLH_DSA_SHA2_256F = 0xBL;
    public static final long SLH_DSA_SHAKE_256F = 0xCL;

    /** The constant's name, e.g. {@code CKP_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKP.class, value);
    }
}
