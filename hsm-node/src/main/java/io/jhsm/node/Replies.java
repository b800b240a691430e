package io.jhsm.node;

import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.protocol.Mechanisms;
import io.jhsm.protocol.v1.Empty;
import io.jhsm.protocol.v1.Handles;
import io.jhsm.protocol.v1.Output;
import io.jhsm.protocol.v1.OutputBuffer;
import io.jhsm.protocol.v1.Response;
import com.google.protobuf.ByteString;

/**
 * Response shapes, and the C two-call protocol for a function that fills a caller's buffer. The node
 * never allocates from the client's capacity alone: it asks the engine for the bound first (a null
 * output consumes nothing), then produces into min(capacity, bound) bytes.
 */
final class Replies {
    private Replies() {}

    private static final Empty EMPTY = Empty.getDefaultInstance();

    /** One engine call that writes into {@code out} (null: report the length) and returns the length. */
    @FunctionalInterface
    interface Producer {
        int produce(byte[] out);
    }

    static Response.Builder none() {
        return Response.newBuilder().setNone(EMPTY);
    }

    static Response.Builder number(long n) {
        return Response.newBuilder().setNumber(n);
    }

    static Response.Builder handles(long[] handles) {
        Handles.Builder h = Handles.newBuilder();
        for (long x : handles) {
            h.addHandles(x);
        }
        return Response.newBuilder().setHandles(h);
    }

    /**
     * An Output carrying the in/out parameter as the engine left it (a message function's generated IV and tag;
     * C_EncryptInit's and C_WrapKey's GCM IV on a cloudhsm token), for the client to copy into the caller's.
     */
    static Response.Builder withParams(Output.Builder output, MechanismParams p) {
        if (p != null) {
            output.setParams(Mechanisms.toProto(p));
        }
        return Response.newBuilder().setOutput(output);
    }

    static Response.Builder output(boolean hasBuffer, OutputBuffer buffer, Producer producer) {
        return Response.newBuilder().setOutput(produce(hasBuffer, buffer, producer));
    }

    /** The Output of one buffer-filling call; CKR_BUFFER_TOO_SMALL comes back as a BufferTooSmallException. */
    static Output.Builder produce(boolean hasBuffer, OutputBuffer buffer, Producer producer) {
        int bound = producer.produce(null);
        if (!hasBuffer) {
            return Output.newBuilder().setLength(bound);
        }
        long capacity = buffer.getCapacity();
        int size = Long.compareUnsigned(capacity, bound) < 0 ? (int) capacity : bound;
        byte[] out = new byte[size];
        int n = producer.produce(out);
        return Output.newBuilder().setLength(n).setData(ByteString.copyFrom(out, 0, n));
    }

    static Response tooSmall(BufferTooSmallException e) {
        return Response.newBuilder().setRv(CKR.BUFFER_TOO_SMALL).setMessage(Dispatcher.detail(e))
                .setOutput(Output.newBuilder().setLength(e.requiredLength())).build();
    }
}
