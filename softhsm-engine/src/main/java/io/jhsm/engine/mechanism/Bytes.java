package io.jhsm.engine.mechanism;

/** Small byte-array helpers shared by the mechanisms that assemble outputs from parts. */
final class Bytes {
    private Bytes() {}

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
