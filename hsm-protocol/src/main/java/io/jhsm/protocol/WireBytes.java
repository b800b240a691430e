package io.jhsm.protocol;

import com.google.protobuf.ByteString;

/** byte[] ⇄ ByteString, with null kept apart from empty where the field has presence. */
public final class WireBytes {
    private WireBytes() {}

    /** Never null on the wire: a plain bytes field has no presence, so null reads back as empty. */
    public static ByteString of(byte[] b) {
        return b == null ? ByteString.EMPTY : ByteString.copyFrom(b);
    }

    public static byte[] bytes(ByteString s) {
        return s.toByteArray();
    }

    /** For an {@code optional bytes} field: absent reads as null. */
    public static byte[] optional(boolean present, ByteString s) {
        return present ? s.toByteArray() : null;
    }
}
