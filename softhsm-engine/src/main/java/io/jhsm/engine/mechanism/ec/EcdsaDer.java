package io.jhsm.engine.mechanism.ec;

import java.util.Arrays;

/**
 * ECDSA signatures between PKCS#11's r || s and the DER SEQUENCE { INTEGER r, INTEGER s } that ACCP's
 * NONEwithECDSA speaks (it has no P1363 form of it). By hand: two small INTEGERs do not need an ASN.1 library
 * on the hot path.
 */
final class EcdsaDer {
    private EcdsaDer() {}

    /** DER of r || s (each half {@code rs.length / 2} bytes, unsigned big-endian). */
    static byte[] fromRs(byte[] rs) {
        int n = rs.length / 2;
        int rStart = firstNonZero(rs, 0, n);
        int sStart = firstNonZero(rs, n, 2 * n);
        int rLen = integerLength(rs, rStart, n);
        int sLen = integerLength(rs, sStart, 2 * n);
        int body = 2 + rLen + 2 + sLen; // each INTEGER is at most 67 bytes (P-521): short-form lengths
        byte[] out = new byte[body < 0x80 ? 2 + body : 3 + body];
        int i = 0;
        out[i++] = 0x30;
        if (body >= 0x80) {
            out[i++] = (byte) 0x81;
        }
        out[i++] = (byte) body;
        i = writeInteger(out, i, rs, rStart, n, rLen);
        writeInteger(out, i, rs, sStart, 2 * n, sLen);
        return out;
    }

    /** r || s, each left-padded to {@code n} bytes, from a DER signature; null if it is not one. */
    static byte[] toRs(byte[] der, int n) {
        int[] pos = {0};
        if (der.length < 2 || der[pos[0]++] != 0x30 || length(der, pos) != der.length - pos[0]) {
            return null;
        }
        byte[] out = new byte[2 * n];
        return readInteger(der, pos, out, 0, n) && readInteger(der, pos, out, n, n) && pos[0] == der.length ? out : null;
    }

    private static int firstNonZero(byte[] b, int from, int to) {
        while (from < to - 1 && b[from] == 0) {
            from++;
        }
        return from;
    }

    /** Content length of the INTEGER holding b[start, end): a leading 0x00 keeps a set high bit positive. */
    private static int integerLength(byte[] b, int start, int end) {
        return end - start + ((b[start] & 0x80) != 0 ? 1 : 0);
    }

    private static int writeInteger(byte[] out, int i, byte[] b, int start, int end, int len) {
        out[i++] = 0x02;
        out[i++] = (byte) len;
        if (len > end - start) {
            out[i++] = 0;
        }
        System.arraycopy(b, start, out, i, end - start);
        return i + end - start;
    }

    private static int length(byte[] der, int[] pos) {
        if (pos[0] >= der.length) {
            return -1;
        }
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        if (first != 0x81 || pos[0] >= der.length) {
            return -1;
        }
        return der[pos[0]++] & 0xff;
    }

    private static boolean readInteger(byte[] der, int[] pos, byte[] out, int off, int n) {
        if (pos[0] >= der.length || der[pos[0]++] != 0x02) {
            return false;
        }
        int len = length(der, pos);
        if (len <= 0 || pos[0] + len > der.length) {
            return false;
        }
        int start = pos[0];
        int end = start + len;
        pos[0] = end;
        while (start < end - 1 && der[start] == 0) {
            start++;
        }
        if (end - start > n) {
            return false;
        }
        Arrays.fill(out, off, off + n - (end - start), (byte) 0);
        System.arraycopy(der, start, out, off + n - (end - start), end - start);
        return true;
    }
}
