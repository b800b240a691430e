package io.jhsm.node;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code max} open connections (CloudHSM's HsmSslCtxsOccupied maximum is 2,048): a connection past
 * the limit is closed as it is accepted, before any TLS work is spent on it, and the node logs one line
 * per episode of refusals (not one per refused connection, which an attacker would turn into a log flood).
 */
final class ConnectionLimit {
    private final int max;
    private final NodeLog log;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean refusing = new AtomicBoolean();

    ConnectionLimit(int max, NodeLog log) {
        if (max < 1) {
            throw new IllegalArgumentException("the connection limit must be at least 1");
        }
        this.max = max;
        this.log = log;
    }

    int open() {
        return open.get();
    }

    /** The server socket channel that applies the limit to what it accepts; {@code first} heads each admitted connection's pipeline. */
    NioServerSocketChannel newServerChannel(ChannelHandler first) {
        return new NioServerSocketChannel() {
            @Override
            protected int doReadMessages(List<Object> buf) throws Exception {
                int before = buf.size();
                int accepted = super.doReadMessages(buf);
                for (int i = buf.size() - 1; i >= before; i--) {
                    Channel ch = (Channel) buf.get(i);
                    if (!admit(ch)) {
                        buf.remove(i);
                        accepted--;
                        ch.unsafe().closeForcibly();
                    } else {
                        ch.pipeline().addFirst(first);
                    }
                }
                return accepted;
            }
        };
    }

    private boolean admit(Channel ch) {
        while (true) {
            int n = open.get();
            if (n >= max) {
                if (refusing.compareAndSet(false, true)) {
                    log.line("refusing new connections: " + max + " are open (the limit); " + ch.remoteAddress()
                            + " and others are closed until some end");
                }
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                ch.closeFuture().addListener(f -> {
                    if (open.decrementAndGet() < max) {
                        refusing.set(false);
                    }
                });
                return true;
            }
        }
    }
}
