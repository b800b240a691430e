package io.jhsm.client;

import io.jhsm.protocol.v1.Output;
import io.jhsm.protocol.v1.Response;

/** Reading a successful Response into the caller's Java values. */
final class Answers {
    private Answers() {}

    /** The bytes land in {@code out} from index 0 (none for a length query); returns the length. */
    static int output(Output o, byte[] out) {
        if (out != null) {
            o.getData().copyTo(out, 0);
        }
        return (int) o.getLength();
    }

    static long[] handles(Response r) {
        return r.getHandles().getHandlesList().stream().mapToLong(Long::longValue).toArray();
    }
}
