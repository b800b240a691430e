package io.jhsm.pkcs11;

/** PKCS#11 Object classes (CK_OBJECT_CLASS). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKO {
    private CKO() {}

    public static final long DATA = 0x0L;
    public static final long CERTIFICATE = 0x1L;
    public static final long PUBLIC_KEY = 0x2L;
    public static final long PRIVATE_KEY = 0x3L;
    public static final long SECRET_KEY = 0x4L;
    public static final long HW_FEATURE = 0x5L;
    public static final long DOMAIN_PARAMETERS = 0x6L;
    public static final long MECHANISM = 0x7L;
    public static final long OTP_KEY = 0x8L;
    public static final long VENDOR_DEFINED = 0x80000000L;
    public static final long PROFILE = 0x9L;

    /** The constant's name, e.g. {@code CKO_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKO.class, value);
    }
}
