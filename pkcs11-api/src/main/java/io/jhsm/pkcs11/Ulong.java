package io.jhsm.pkcs11;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** CK_ULONG and CK_BBOOL attribute values as the C ABI lays them out (8 bytes, native byte order). */
public final class Ulong {
    private Ulong() {}

    public static byte[] encode(long value) {
        return ByteBuffer.allocate(Ck.ULONG_SIZE).order(ByteOrder.nativeOrder()).putLong(value).array();
    }

    /** Decodes a CK_ULONG value; any other length is CKR_ATTRIBUTE_VALUE_INVALID. */
    public static long decode(byte[] value) {
        if (value == null || value.length != Ck.ULONG_SIZE) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CK_ULONG value must be " + Ck.ULONG_SIZE + " bytes");
        }
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
    }

    public static byte[] encodeArray(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Ck.ULONG_SIZE).order(ByteOrder.nativeOrder());
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    public static long[] decodeArray(byte[] value) {
        if (value == null || value.length % Ck.ULONG_SIZE != 0) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CK_ULONG array length must be a multiple of " + Ck.ULONG_SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
        long[] out = new long[value.length / Ck.ULONG_SIZE];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong();
        }
        return out;
    }

    /** Decodes a CK_BBOOL; only one byte is a valid CK_BBOOL. */
    public static boolean decodeBool(byte[] value) {
        if (value == null || value.length != 1) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CK_BBOOL value must be 1 byte");
        }
        return value[0] != 0;
    }

    public static byte[] encodeBool(boolean value) {
        return new byte[] {value ? Ck.TRUE : Ck.FALSE};
    }
}
