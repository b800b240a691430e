package io.jhsm.pkcs11;

/** PKCS#11 values that belong to no prefix family, and the C ABI facts the Java vocabulary relies on. */
public final class Ck {
    private Ck() {}

    public static final long INVALID_HANDLE = 0L;
    /** CK_UNAVAILABLE_INFORMATION: (CK_ULONG)~0. */
    public static final long UNAVAILABLE_INFORMATION = -1L;
    public static final long EFFECTIVELY_INFINITE = 0L;
    public static final byte TRUE = 1;
    public static final byte FALSE = 0;

    /** sizeof(CK_ULONG) on the LP64 platforms jhsm targets (Linux x86-64 and aarch64). */
    public static final int ULONG_SIZE = 8;

    /** The Cryptoki version the module implements. */
    public static final CkVersion CRYPTOKI_VERSION = new CkVersion(3, 0);
}
