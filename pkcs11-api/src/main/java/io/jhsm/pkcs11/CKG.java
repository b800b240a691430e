package io.jhsm.pkcs11;

/** PKCS#11 Mask generation functions (CK_RSA_PKCS_MGF_TYPE). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKG {
    private CKG() {}

    public static final long MGF1_SHA1 = 0x1L;
    public static final long MGF1_SHA224 = 0x5L;
    public static final long MGF1_SHA256 = 0x2L;
    public static final long MGF1_SHA384 = 0x3L;
    public static final long MGF1_SHA512 = 0x4L;
    public static final long MGF1_SHA3_224 = 0x6L;
    public static final long MGF1_SHA3_256 = 0x7L;
    public static final long MGF1_SHA3_384 = 0x8L;
    public static final long MGF1_SHA3_512 = 0x9L;

    /**
     * CK_GENERATOR_FUNCTION (PKCS#11 3.0 message-based AEAD): how the token forms a message's IV or
     * nonce. The values overlap the MGF ones above, which keep their names in {@link #name}.
     */
    public static final long NO_GENERATE = 0x0L;
    public static final long GENERATE = 0x1L;
    public static final long GENERATE_COUNTER = 0x2L;
    public static final long GENERATE_RANDOM = 0x3L;
    public static final long GENERATE_COUNTER_XOR = 0x4L;

    /** The constant's name, e.g. {@code CKG_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKG.class, value);
    }
}
