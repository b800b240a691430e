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

    /** The constant's name, e.g. {@code CKG_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKG.class, value);
    }
}
