package io.jhsm.node.metrics;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelDuplexHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes received and sent on the client port (CloudWatch's InterfaceEth2OctetsInput/Output): the first handler
 * of every accepted connection, so it counts what crosses the socket (TLS records included), one add per read
 * or write.
 */
@ChannelHandler.Sharable
public final class OctetCounter extends ChannelDuplexHandler {
    private final LongAdder input = new LongAdder();
    private final LongAdder output = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            input.add(b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            output.add(b.readableBytes());
        }
        ctx.write(msg, promise);
    }

    public long input() {
        return input.sum();
    }

    public long output() {
        return output.sum();
    }
}
