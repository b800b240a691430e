package io.jhsm.bridge;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fixed-width, blank-padded, not NUL-terminated UTF-8 fields of CK_INFO, CK_SLOT_INFO and
 * CK_TOKEN_INFO. A string too long is cut at a character boundary, never inside a UTF-8 sequence.
 */
final class PaddedString {
    private PaddedString() {}

    static byte[] encode(String s, int width) {
        byte[] out = new byte[width];
        Arrays.fill(out, (byte) ' ');
        byte[] utf8 = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(utf8.length, width);
        // Back off over continuation bytes (10xxxxxx) so the cut falls before a sequence starts.
        if (n < utf8.length) {
            while (n > 0 && (utf8[n] & 0xC0) == 0x80) {
                n--;
            }
        }
        System.arraycopy(utf8, 0, out, 0, n);
        return out;
    }
}
