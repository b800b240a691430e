package io.jhsm.engine.mechanism;

import java.math.BigInteger;
import java.util.Arrays;

/** PKCS#11 "Big integer" values: unsigned, big-endian, most significant byte first, no sign byte. */
public final class BigInts {
    private BigInts() {}

    public static BigInteger decode(byte[] value) {
        return new BigInteger(1, value);
    }

    /** Minimal unsigned encoding (zero is a single 0x00 byte, as SoftHSM and OpenSSL write it). */
    public static byte[] encode(BigInteger value) {
        byte[] b = value.toByteArray();
        return b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** Fixed-length unsigned encoding, left-padded with zeros (signature halves, RSA blocks). */
    public static byte[] encode(BigInteger value, int length) {
        byte[] b = encode(value);
        if (b.length == length) {
            return b;
        }
        if (b.length > length) {
            throw new IllegalArgumentException("value longer than " + length + " bytes");
        }
        byte[] out = new byte[length];
        System.arraycopy(b, 0, out, length - b.length, b.length);
        return out;
    }

    /**
     * An RSA block as exactly {@code length} bytes: BC returns integers without leading zeros (or,
     * for some paths, with them), PKCS#11 wants the modulus length.
     */
    public static byte[] pad(byte[] value, int length) {
        if (value.length == length) {
            return value;
        }
        int start = 0;
        while (value.length - start > length && value[start] == 0) {
            start++;
        }
        int len = value.length - start;
        if (len > length) {
            throw new IllegalArgumentException("value longer than " + length + " bytes");
        }
        byte[] out = new byte[length];
        System.arraycopy(value, start, out, length - len, len);
        return out;
    }
}
