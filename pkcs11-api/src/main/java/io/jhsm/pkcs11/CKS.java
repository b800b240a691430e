package io.jhsm.pkcs11;

/** PKCS#11 Session states (CK_STATE). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKS {
    private CKS() {}

    public static final long RO_PUBLIC_SESSION = 0x0L;
    public static final long RO_USER_FUNCTIONS = 0x1L;
    public static final long RW_PUBLIC_SESSION = 0x2L;
    public static final long RW_USER_FUNCTIONS = 0x3L;
    public static final long RW_SO_FUNCTIONS = 0x4L;

    /**
     * CK_SESSION_VALIDATION_FLAGS_TYPE of PKCS#11 3.2 (C_GetSessionValidationFlags), which shares the
     * CKS_ prefix; declared last so that {@link #name} still calls 1 CKS_RO_USER_FUNCTIONS.
     */
    public static final long LAST_VALIDATION_OK = 0x1L;

    /** The constant's name, e.g. {@code CKS_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKS.class, value);
    }
}
