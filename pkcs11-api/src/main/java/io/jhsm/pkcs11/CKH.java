package io.jhsm.pkcs11;

/** PKCS#11 Hardware feature types. Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKH {
    private CKH() {}

    public static final long MONOTONIC_COUNTER = 0x1L;
    public static final long CLOCK = 0x2L;
    public static final long USER_INTERFACE = 0x3L;
    public static final long VENDOR_DEFINED = 0x80000000L;
    /** PKCS#11 3.2 CK_HEDGE_TYPE values (CK_SIGN_ADDITIONAL_CONTEXT.hedgeVariant), which share the CKH_ prefix. */
    public static final long HEDGE_PREFERRED = 0x0L;
    public static final long HEDGE_REQUIRED = 0x1L;
    public static final long DETERMINISTIC_REQUIRED = 0x2L;

    /** The constant's name, e.g. {@code CKH_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKH.class, value);
    }
}
