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

    /** The constant's name, e.g. {@code CKP_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKP.class, value);
    }
}
