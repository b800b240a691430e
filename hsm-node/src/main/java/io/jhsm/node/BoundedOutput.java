package io.jhsm.node;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A command's stdout or stderr kept in memory up to a limit; what is beyond it is counted, not kept. */
final class BoundedOutput extends OutputStream {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int limit;
    private long dropped;

    BoundedOutput(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = Math.max(0, limit - kept.size());
        int n = Math.min(room, len);
        kept.write(b, off, n);
        dropped += len - n;
    }

    synchronized String text() {
        String t = kept.toString(StandardCharsets.UTF_8);
        return dropped == 0 ? t : t + "\n[jhsm: " + dropped + " more bytes of output left out]\n";
    }
}
