package io.jhsm.engine.mechanism;

/** Byte-array helpers shared by the mechanisms and the engine's operations that join outputs from parts. */
public final class Bytes {
    private Bytes() {}

    private static final byte[] NOTHING = new byte[0];

    /**
     * The parts one after another; null counts as empty. Where only one part has bytes it is returned
     * as is: operations join an update's output with a final's, and one of them is usually empty.
     */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        byte[] only = null;
        int nonEmpty = 0;
        for (byte[] p : parts) {
            if (p != null && p.length > 0) {
                n += p.length;
                only = p;
                nonEmpty++;
            }
        }
        if (nonEmpty <= 1) {
            return only == null ? NOTHING : only;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            if (p != null) {
                System.arraycopy(p, 0, out, o, p.length);
                o += p.length;
            }
        }
        return out;
    }
}
