package io.jhsm.pkcs11;

/** PKCS#11 Key types (CK_KEY_TYPE). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKK {
    private CKK() {}

    public static final long RSA = 0x0L;
    public static final long DSA = 0x1L;
    public static final long DH = 0x2L;
    public static final long ECDSA = 0x3L;
    public static final long EC = 0x3L;
    public static final long X9_42_DH = 0x4L;
    public static final long KEA = 0x5L;
    public static final long GENERIC_SECRET = 0x10L;
    public static final long RC2 = 0x11L;
    public static final long RC4 = 0x12L;
    public static final long DES = 0x13L;
    public static final long DES2 = 0x14L;
    public static final long DES3 = 0x15L;
    public static final long CAST = 0x16L;
    public static final long CAST3 = 0x17L;
    public static final long CAST128 = 0x18L;
    public static final long RC5 = 0x19L;
    public static final long IDEA = 0x1AL;
    public static final long SKIPJACK = 0x1BL;
    public static final long BATON = 0x1CL;
    public static final long JUNIPER = 0x1DL;
    public static final long CDMF = 0x1EL;
    public static final long AES = 0x1FL;
    public static final long BLOWFISH = 0x20L;
    public static final long TWOFISH = 0x21L;
    public static final long SECURID = 0x22L;
    public static final long HOTP = 0x23L;
    public static final long ACTI = 0x24L;
    public static final long CAMELLIA = 0x25L;
    public static final long ARIA = 0x26L;
    public static final long MD5_HMAC = 0x27L;
    public static final long SHA_1_HMAC = 0x28L;
    public static final long RIPEMD128_HMAC = 0x29L;
    public static final long RIPEMD160_HMAC = 0x2AL;
    public static final long SHA256_HMAC = 0x2BL;
    public static final long SHA384_HMAC = 0x2CL;
    public static final long SHA512_HMAC = 0x2DL;
    public static final long SHA224_HMAC = 0x2EL;
    public static final long SEED = 0x2FL;
    public static final long GOSTR3410 = 0x30L;
    public static final long GOSTR3411 = 0x31L;
    public static final long GOST28147 = 0x32L;
    public static final long EC_EDWARDS = 0x40L;
    public static final long VENDOR_DEFINED = 0x80000000L;
    public static final long CHACHA20 = 0x33L;
    public static final long POLY1305 = 0x34L;
    public static final long AES_XTS = 0x35L;
    public static final long SHA3_224_HMAC = 0x36L;
    public static final long SHA3_256_HMAC = 0x37L;
    public static final long SHA3_384_HMAC = 0x38L;
    public static final long SHA3_512_HMAC = 0x39L;
    public static final long EC_MONTGOMERY = 0x41L;
    public static final long HKDF = 0x42L;
    public static final long SHA512_224_HMAC = 0x43L;
    public static final long SHA512_256_HMAC = 0x44L;
    public static final long SHA512_T_HMAC = 0x45L;

    /** PKCS#11 3.2 post-quantum key types. */
    public static final long ML_KEM = 0x49L;
    public static final long ML_DSA = 0x4AL;
    public static final long SLH_DSA = 0x4BL;

    /** The constant's name, e.g. {@code CKK_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKK.class, value);
    }
}
