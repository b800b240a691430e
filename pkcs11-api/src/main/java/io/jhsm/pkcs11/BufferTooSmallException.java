package io.jhsm.pkcs11;

/**
 * CKR_BUFFER_TOO_SMALL from an output-producing call, with the length the caller must supply.
 * The operation stays active: the next call with a large enough buffer receives the same output.
 */
public final class BufferTooSmallException extends CkException {
    private final int requiredLength;

    public BufferTooSmallException(int requiredLength) {
        super(CKR.BUFFER_TOO_SMALL, "need " + requiredLength + " bytes");
        this.requiredLength = requiredLength;
    }

    public int requiredLength() {
        return requiredLength;
    }
}
