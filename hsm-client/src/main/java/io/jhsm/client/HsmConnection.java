package io.jhsm.client;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.protocol.RequestSessions;
import io.jhsm.protocol.v1.CryptokiGrpc;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.SessionNumber;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's connection to one HSM: opened within connect-timeout or CKR_DEVICE_ERROR, one unary
 * call per PKCS#11 function with the call-timeout deadline, shut down by C_Finalize. When the HSM goes
 * away, calls fail with the mapped CK_RV ({@link Unreachable}) and the channel reconnects by itself; the
 * node sees a new application then, so the connection's {@link #epoch} changes: handles of the old one
 * must never reach the new one.
 */
final class HsmConnection {
    /** Metadata a client sends on every Cryptoki call when its config disables the key-availability check. */
    static final Metadata.Key<String> KEY_AVAILABILITY_CHECK =
            Metadata.Key.of("jhsm-key-availability-check", Metadata.ASCII_STRING_MARSHALLER);

    private final ClientConfig.HostAndPort hsm;
    private final ClientConfig config;
    private final ManagedChannel channel;
    private final CryptokiGrpc.CryptokiBlockingStub stub;
    /** Bumped each time the connection leaves READY (or a call finds the HSM gone): a new application on the node. */
    private final AtomicInteger epoch = new AtomicInteger();

    private HsmConnection(ClientConfig config, ClientConfig.HostAndPort hsm, ManagedChannel channel) {
        this.config = config;
        this.hsm = hsm;
        this.channel = channel;
        CryptokiGrpc.CryptokiBlockingStub s = CryptokiGrpc.newBlockingStub(channel);
        if (!config.keyAvailabilityCheck()) {
            Metadata off = new Metadata();
            off.put(KEY_AVAILABILITY_CHECK, "off");
            s = s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(off));
        }
        this.stub = s;
        watch(channel.getState(false));
    }

    /**
     * Connects within connect-timeout (HsmChannels.connect proves the TLS session), else CKR_DEVICE_ERROR with
     * the reason, logged as happening in {@code during} (C_Initialize, C_OpenSession …).
     */
    static HsmConnection open(ClientConfig config, ClientConfig.HostAndPort hsm, ManagedChannel channel, String during) {
        try {
            HsmChannels.connect(channel, config, hsm);
        } catch (HsmChannels.HsmConnectException e) {
            channel.shutdownNow();
            String why = e.getMessage() + " (" + during + " waited at most " + config.connectTimeout().toMillis()
                    + " ms, connect-timeout-ms; check the node runs: jhsm cluster status)";
            ClientLog.get().problem("CKR_DEVICE_ERROR", during + ": " + why);
            throw new CkException(CKR.DEVICE_ERROR, why);
        }
        return new HsmConnection(config, hsm, channel);
    }

    private void watch(ConnectivityState seen) {
        if (seen == ConnectivityState.SHUTDOWN) {
            return;
        }
        channel.notifyWhenStateChanged(seen, () -> {
            if (seen == ConnectivityState.READY) {
                epoch.incrementAndGet(); // the transport the node's application lived on is gone
            }
            watch(channel.getState(false));
        });
    }

    ClientConfig.HostAndPort address() {
        return hsm;
    }

    ManagedChannel channel() {
        return channel;
    }

    int epoch() {
        return epoch.get();
    }

    /** The transport is up now (a call would reach the node without reconnecting). */
    boolean ready() {
        return channel.getState(false) == ConnectivityState.READY;
    }

    /** Asks the channel to reconnect at once rather than after its backoff. */
    void reconnect() {
        channel.resetConnectBackoff();
        channel.getState(true);
    }

    /**
     * One PKCS#11 call answered by {@code deadlineNanos} (System.nanoTime; ThrottleRetry gives call-timeout-ms
     * from the first attempt): the node's Response, or {@link Unreachable} mapped from the gRPC status.
     */
    Response call(Request request, long deadlineNanos) {
        try {
            return stub.withDeadlineAfter(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS).call(request);
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            if (status.getCode() == Status.Code.UNAVAILABLE) {
                epoch.incrementAndGet(); // the node's application ended with its connection, even if the state watch has not run yet
                channel.resetConnectBackoff(); // the next call tries the HSM at once instead of after the backoff
            }
            if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                endOperation(request);
            }
            long rv = StatusMapping.rv(status.getCode(), request.getFunctionCase());
            String what = StatusMapping.functionName(request.getFunctionCase()) + " to HSM " + hsm + ": " + status.getCode()
                    + (status.getDescription() == null || status.getCode() == Status.Code.DEADLINE_EXCEEDED ? ""
                            : " (" + status.getDescription() + ")")
                    + (status.getCode() == Status.Code.DEADLINE_EXCEEDED ? " after " + config.callTimeout().toMillis() + " ms" : "")
                    + "; " + StatusMapping.advice(status.getCode());
            ClientLog.get().problem(io.jhsm.pkcs11.CKR.name(rv), what);
            throw new Unreachable(rv, what, status.getCode());
        }
    }

    /** The call did not reach PKCS#11 on the node: the gRPC status says why. */
    static final class Unreachable extends CkException {
        final transient Status.Code code;

        Unreachable(long rv, String message, Status.Code code) {
            super(rv, message);
            this.code = code;
        }

        /** The HSM is gone or hung (not a refusal of this one request): its sessions are lost or stuck. */
        boolean hsmLost() {
            return code == Status.Code.UNAVAILABLE || code == Status.Code.CANCELLED || code == Status.Code.DEADLINE_EXCEEDED;
        }

        /** The request never left the client or was refused before the node ran it: safe to send to another HSM. */
        boolean neverRan() {
            return code == Status.Code.UNAVAILABLE;
        }
    }

    /** The request never reached PKCS#11: end its operation as an error from the node would have (OperationEnds). */
    private void endOperation(Request refused) {
        long flags = OperationEnds.of(refused.getFunctionCase());
        if (flags == 0 || !RequestSessions.hasSession(refused)) {
            return;
        }
        try {
            stub.withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS).call(Request.newBuilder()
                    .setSessionCancel(SessionNumber.newBuilder().setSession(RequestSessions.session(refused)).setNumber(flags)).build());
        } catch (StatusRuntimeException ignored) {
            // the link is gone as well: the node ends the application's operations with its connection
        }
    }

    void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
