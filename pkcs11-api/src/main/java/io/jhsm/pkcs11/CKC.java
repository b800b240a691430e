package io.jhsm.pkcs11;

/** PKCS#11 Certificate types (CK_CERTIFICATE_TYPE). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKC {
    private CKC() {}

    public static final long X_509 = 0x0L;
    public static final long X_509_ATTR_CERT = 0x1L;
    public static final long WTLS = 0x2L;
    public static final long VENDOR_DEFINED = 0x80000000L;
    public static final long OPENPGP = 0x80504750L;

    /** The constant's name, e.g. {@code CKC_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKC.class, value);
    }
}
