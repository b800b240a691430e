package io.jhsm.pkcs11;

/** A PKCS#11 failure: carries the CK_RV the caller must see. */
public class CkException extends RuntimeException {
    private final long rv;

    public CkException(long rv) {
        this(rv, null);
    }

    public CkException(long rv, String detail) {
        super(detail == null ? CKR.name(rv) : CKR.name(rv) + ": " + detail, null, false, false);
        this.rv = rv;
    }

    public CkException(long rv, String detail, Throwable cause) {
        super(CKR.name(rv) + ": " + detail, cause);
        this.rv = rv;
    }

    public long rv() {
        return rv;
    }

    /** Throws CkException(rv) with a detail message when the condition is false. */
    public static void require(boolean condition, long rv, String detail) {
        if (!condition) {
            throw new CkException(rv, detail);
        }
    }
}
