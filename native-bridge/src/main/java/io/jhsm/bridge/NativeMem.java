package io.jhsm.bridge;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;

/**
 * Raw reads and writes at C addresses, with the PKCS#11 rules for NULL pointers and lengths.
 * Addresses arrive as {@code long}; CK_ULONG lengths are unsigned, so anything that does not fit a
 * Java array (including "negative" values, i.e. above 2^63) is refused before allocating.
 */
final class NativeMem {
    private NativeMem() {}

    /** The largest array the JVM reliably allocates. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    static Pointer at(long address) {
        return new Pointer(address);
    }

    static void requireNonNull(long address) {
        if (address == 0) {
            throw new CkException(CKR.ARGUMENTS_BAD, "NULL pointer");
        }
    }

    /** A CK_ULONG length as an array length, or {@code rvIfHuge}. */
    static int length(long ulLen, long rvIfHuge) {
        if (ulLen < 0 || ulLen > MAX_ARRAY) {
            throw new CkException(rvIfHuge, "length " + Long.toUnsignedString(ulLen));
        }
        return (int) ulLen;
    }

    /** An input byte string (pData, ulDataLen): NULL with a length is ARGUMENTS_BAD; NULL with 0 is empty. */
    static byte[] input(long p, long ulLen, long rvIfHuge) {
        if (p == 0) {
            if (ulLen != 0) {
                throw new CkException(CKR.ARGUMENTS_BAD, "NULL pointer with length " + Long.toUnsignedString(ulLen));
            }
            return new byte[0];
        }
        int n = length(ulLen, rvIfHuge);
        byte[] b = new byte[n];
        at(p).read(0, b, 0, n);
        return b;
    }

    static byte[] input(long p, long ulLen) {
        return input(p, ulLen, CKR.ARGUMENTS_BAD);
    }

    /** A PIN or similar secret: NULL means "none given" (protected authentication path). */
    static byte[] optionalInput(long p, long ulLen) {
        return p == 0 ? null : input(p, ulLen);
    }

    static long readUlong(long p) {
        requireNonNull(p);
        return at(p).getLong(0);
    }

    static void writeUlong(long p, long value) {
        requireNonNull(p);
        at(p).setLong(0, value);
    }

    static void write(long p, byte[] bytes, int length) {
        if (length > 0) {
            at(p).write(0, bytes, 0, length);
        }
    }

    /** A CK_ULONG array output with the length protocol: NULL array asks the count; a short one is BUFFER_TOO_SMALL. */
    static long writeUlongArray(long pArray, long pulCount, long[] values) {
        requireNonNull(pulCount);
        Pointer count = at(pulCount);
        if (pArray != 0) {
            if (Long.compareUnsigned(count.getLong(0), values.length) < 0) {
                count.setLong(0, values.length);
                return CKR.BUFFER_TOO_SMALL;
            }
            at(pArray).write(0, values, 0, values.length);
        }
        count.setLong(0, values.length);
        return CKR.OK;
    }
}
