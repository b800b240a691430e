package io.jhsm.bridge;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;

/**
 * Field reads from a mechanism parameter struct at a C address, by LP64 offset (CK_ULONG and
 * pointers 8 bytes, CK_BBOOL 1 byte then padding to the next 8-byte field). Every bad value is
 * CKR_MECHANISM_PARAM_INVALID: a NULL pointer with a non-zero length, a length that fits no array.
 */
final class ParamStruct {
    private final Pointer p;

    ParamStruct(long address) {
        this.p = NativeMem.at(address);
    }

    long ulong(int offset) {
        return p.getLong(offset);
    }

    long pointer(int offset) {
        return p.getLong(offset);
    }

    /** CK_BBOOL: only its own byte is defined (the padding after it may hold anything). */
    boolean bbool(int offset) {
        return p.getByte(offset) != 0;
    }

    /** A byte array embedded in the struct, e.g. CK_BYTE iv[16]. */
    byte[] inline(int offset, int length) {
        return p.getByteArray(offset, length);
    }

    /** A (pointer, length) pair of the struct: NULL with 0 is empty. */
    byte[] bytes(int pointerOffset, int lengthOffset) {
        return bytesAt(pointer(pointerOffset), ulong(lengthOffset));
    }

    /** As {@link #bytes}, but a NULL pointer (with length 0) is null: "not given", which the engine may refuse. */
    byte[] optionalBytes(int pointerOffset, int lengthOffset) {
        long ptr = pointer(pointerOffset);
        long len = ulong(lengthOffset);
        return ptr == 0 && len == 0 ? null : bytesAt(ptr, len);
    }

    /** The struct a pointer field points to, or null for NULL. */
    ParamStruct follow(int offset) {
        long ptr = pointer(offset);
        return ptr == 0 ? null : new ParamStruct(ptr);
    }

    /** The {@code index}-th element of an array of {@code elementSize}-byte structs starting here. */
    ParamStruct element(long index, int elementSize) {
        return new ParamStruct(Pointer.nativeValue(p) + index * elementSize);
    }

    static byte[] bytesAt(long ptr, long len) {
        if (ptr == 0 && len != 0) {
            throw invalid("NULL pointer with length " + Long.toUnsignedString(len) + " in the parameter");
        }
        return NativeMem.input(ptr, len, CKR.MECHANISM_PARAM_INVALID);
    }

    /** A length in bits that must be whole bytes, as a byte count. */
    static long bitsToBytes(long bits, String field) {
        if ((bits & 7) != 0) {
            throw invalid(field + " " + Long.toUnsignedString(bits) + " is not a whole number of bytes");
        }
        return Long.divideUnsigned(bits, 8);
    }

    static CkException invalid(String message) {
        return new CkException(CKR.MECHANISM_PARAM_INVALID, message);
    }
}
