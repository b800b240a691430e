package io.jhsm.engine.mechanism.kdf;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The two small structs a CK_PRF_DATA_PARAM may point to, read from the raw bytes the bridge copies
 * (native LP64 layout: CK_BBOOL is one byte, CK_ULONG eight, aligned to eight), and the integer
 * encodings they describe.
 */
final class Sp800108Formats {
    private Sp800108Formats() {}

    static final long ITERATION_VARIABLE = 1;
    static final long OPTIONAL_COUNTER = 2;
    static final long DKM_LENGTH = 3;
    static final long BYTE_ARRAY = 4;
    static final long DKM_SUM_OF_KEYS = 1;
    static final long DKM_SUM_OF_SEGMENTS = 2;

    /** CK_SP800_108_COUNTER_FORMAT (bLittleEndian, ulWidthInBits): 16 bytes. */
    record Counter(boolean littleEndian, int widthBits) {
        static Counter parse(byte[] raw) {
            if (raw == null || raw.length != 16) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "CK_SP800_108_COUNTER_FORMAT must be 16 bytes");
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
            return new Counter(raw[0] != 0, width(b.getLong(8), 32));
        }

        byte[] encode(long value) {
            return Sp800108Formats.encode(value, widthBits, littleEndian);
        }
    }

    /** CK_SP800_108_DKM_LENGTH_FORMAT (dkmLengthMethod, bLittleEndian, ulWidthInBits): 24 bytes. */
    record DkmLength(long method, boolean littleEndian, int widthBits) {
        static DkmLength parse(byte[] raw) {
            if (raw == null || raw.length != 24) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "CK_SP800_108_DKM_LENGTH_FORMAT must be 24 bytes");
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
            long method = b.getLong(0);
            if (method != DKM_SUM_OF_KEYS && method != DKM_SUM_OF_SEGMENTS) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "dkmLengthMethod " + method);
            }
            return new DkmLength(method, raw[8] != 0, width(b.getLong(16), 64));
        }

        byte[] encode(long value) {
            return Sp800108Formats.encode(value, widthBits, littleEndian);
        }
    }

    private static int width(long bits, int max) {
        if (bits < 8 || bits > max || bits % 8 != 0) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "ulWidthInBits " + bits + " is not a multiple of 8 in 8.." + max);
        }
        return (int) bits;
    }

    static byte[] encode(long value, int widthBits, boolean littleEndian) {
        int n = widthBits / 8;
        if (n < 8 && value >>> (8 * n) != 0) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, value + " does not fit in " + widthBits + " bits");
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            byte v = (byte) (value >>> (8 * i));
            out[littleEndian ? i : n - 1 - i] = v;
        }
        return out;
    }
}
