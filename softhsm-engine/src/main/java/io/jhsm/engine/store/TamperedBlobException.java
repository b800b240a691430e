package io.jhsm.engine.store;

/**
 * A sealed blob failed authentication: it was modified, moved to another row, or sealed under
 * another device key. Never silently skipped: a token that lost an object must say so.
 */
public final class TamperedBlobException extends TokenStoreException {

    public TamperedBlobException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
