package io.jhsm.client;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * gRPC channels to HSMs: TLS 1.3 only, the HSM's chain verified against the cluster's trust anchor
 * ({@code hsm-ca-cert}, see {@link HsmTrustManager}), the client certificate and key presented when
 * configured (mutual TLS, {@code jhsm cluster mtls}), keep-alive and a connect timeout. One channel is
 * one connection is one PKCS#11 application on the node, so the channel must never go idle on its own.
 */
public final class HsmChannels {
    /** The biggest message either side accepts: 16 MiB of data plus room for the call around it. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 64 * 1024;
    /** Ping an HSM that has been silent this long; the node permits pings this often (HsmNode). */
    public static final long KEEPALIVE_SECONDS = 60;
    static final long KEEPALIVE_TIMEOUT_SECONDS = 20;
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * The shaded Netty inside gRPC logs an INFO line through java.util.logging when a JVM (JDK 17's keytool, a
     * SunPKCS11 host) denies it direct-buffer internals; that line would land in the host's own output. Only this
     * shaded copy's loggers are quietened (held here: java.util.logging keeps loggers weakly).
     */
    private static final java.util.logging.Logger SHADED_NETTY = quiet("io.grpc.netty.shaded.io.netty");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        if (l.getLevel() == null) {
            l.setLevel(java.util.logging.Level.WARNING);
        }
        return l;
    }

    private static final MethodDescriptor<byte[], byte[]> HEALTH_CHECK = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("grpc.health.v1.Health/Check")
            .setRequestMarshaller(Bytes.INSTANCE)
            .setResponseMarshaller(Bytes.INSTANCE)
            .build();

    private HsmChannels() {}

    /** A channel to one HSM; it connects on first use (or {@link #connect}). */
    public static ManagedChannel open(ClientConfig config, ClientConfig.HostAndPort hsm) {
        return NettyChannelBuilder.forAddress(hsm.host(), hsm.port())
                .negotiationType(NegotiationType.TLS)
                .sslContext(sslContext(config, hsm))
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                // An application may sit between calls for hours and still own its sessions: keep the connection.
                .keepAliveWithoutCalls(true)
                .idleTimeout(Long.MAX_VALUE, TimeUnit.DAYS) // gRPC's idle mode would close it, ending the application
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .userAgent("jhsm")
                .build();
    }

    static SslContext sslContext(ClientConfig config, ClientConfig.HostAndPort hsm) {
        SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forClient(), provider())
                .protocols("TLSv1.3")
                .trustManager(new HsmTrustManager(hsm, config.hsmCaCert()));
        if (config.clientCert() != null) {
            try {
                b.keyManager(config.clientCert().toFile(), config.clientKey().toFile());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("client-cert " + config.clientCert() + " / client-key " + config.clientKey()
                        + ": " + e.getMessage() + " (client-key must be an unencrypted PKCS#8 PEM key)", e);
            }
        }
        try {
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("HSM " + hsm + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Connects the channel and proves the TLS session works with a health check, within the connect timeout:
     * a node that is not up yet is tried again until then, a TLS refusal (certificate, mTLS) ends it at once.
     * On failure, an exception whose message is the one line to log ({@link #explain}).
     */
    public static void connect(ManagedChannel channel, ClientConfig config, ClientConfig.HostAndPort hsm) {
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                ClientCalls.blockingUnaryCall(channel, HEALTH_CHECK,
                        CallOptions.DEFAULT.withDeadlineAfter(Math.max(1, left), TimeUnit.NANOSECONDS), new byte[0]);
                return;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED && code != Status.Code.UNKNOWN) {
                    return; // any other answer (UNIMPLEMENTED: no health service) came over a working session
                }
                if (TlsFailures.refused(e) || code != Status.Code.UNAVAILABLE || deadline - System.nanoTime() < RETRY_NANOS) {
                    throw new HsmConnectException(explain(config, hsm, e), e);
                }
            }
            try {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(RETRY_NANOS));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new HsmConnectException("HSM " + hsm + ": interrupted while connecting", ie);
            }
            channel.resetConnectBackoff();
        }
    }

    /** One line saying which HSM failed and why, for the client's log: TLS refusals in words, not stack traces. */
    public static String explain(ClientConfig config, ClientConfig.HostAndPort hsm, Throwable failure) {
        return TlsFailures.explain(config, hsm, failure);
    }

    /** The HSM could not be reached or refused the TLS session; the message is the line to log. */
    public static final class HsmConnectException extends RuntimeException {
        HsmConnectException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw Status.INTERNAL.withCause(e).asRuntimeException();
            }
        }
    }

    /**
     * BoringSSL (bundled, shaded, in grpc-netty-shaded) where it loads, else the JDK's TLS: the JDK's costs
     * several microseconds more per record on the round trip (docs/performance/network.md). Both do TLS 1.3.
     */
    private static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }
}
