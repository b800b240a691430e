package io.jhsm.pkcs11;

/** PKCS#11 Session states (CK_STATE). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKS {
    private CKS() {}

    public static final long RO_PUBLIC_SESSION = 0x0L;
    public static final long RO_USER_FUNCTIONS = 0x1L;
    public static final long RW_PUBLIC_SESSION = 0x2L;
    public static final long RW_USER_FUNCTIONS = 0x3L;
    public static final long RW_SO_FUNCTIONS = 0x4L;

    /** The constant's name, e.g. {@code CKS_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKS.class, value);
    }
}
