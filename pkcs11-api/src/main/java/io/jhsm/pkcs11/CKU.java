package io.jhsm.pkcs11;

/** PKCS#11 User types (CK_USER_TYPE). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKU {
    private CKU() {}

    public static final long SO = 0x0L;
    public static final long USER = 0x1L;
    public static final long CONTEXT_SPECIFIC = 0x2L;

    /** The constant's name, e.g. {@code CKU_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKU.class, value);
    }
}
