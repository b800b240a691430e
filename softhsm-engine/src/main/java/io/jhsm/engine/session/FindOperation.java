package io.jhsm.engine.session;

/** C_FindObjects in progress: the handles matched at C_FindObjectsInit, handed out in order. */
public final class FindOperation {
    private final long[] handles;
    private int next;

    public FindOperation(long[] handles) {
        this.handles = handles;
    }

    public long[] take(int max) {
        int n = Math.max(0, Math.min(max, handles.length - next));
        long[] out = new long[n];
        System.arraycopy(handles, next, out, 0, n);
        next += n;
        return out;
    }
}
