package io.jhsm.pkcs11;

/** PKCS#11 Key derivation functions for ECDH and related mechanisms. Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKD {
    private CKD() {}

    public static final long NULL = 0x1L;
    public static final long SHA1_KDF = 0x2L;
    public static final long SHA1_KDF_ASN1 = 0x3L;
    public static final long SHA1_KDF_CONCATENATE = 0x4L;
    public static final long SHA224_KDF = 0x5L;
    public static final long SHA256_KDF = 0x6L;
    public static final long SHA384_KDF = 0x7L;
    public static final long SHA512_KDF = 0x8L;
    public static final long CPDIVERSIFY_KDF = 0x9L;

    /** The constant's name, e.g. {@code CKD_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKD.class, value);
    }
}
