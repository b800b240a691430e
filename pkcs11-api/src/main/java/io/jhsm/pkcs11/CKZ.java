package io.jhsm.pkcs11;

/** PKCS#11 Parameter source types (OAEP source, PBKDF2 salt source). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKZ {
    private CKZ() {}

    public static final long DATA_SPECIFIED = 0x1L;
    /** CK_PKCS5_PBKDF2_SALT_SOURCE_TYPE: the salt is given in pSaltSourceData. */
    public static final long SALT_SPECIFIED = 0x1L;

    /** The constant's name, e.g. {@code CKZ_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKZ.class, value);
    }
}
