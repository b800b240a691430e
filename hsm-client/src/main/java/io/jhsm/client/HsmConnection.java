package io.jhsm.client;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.protocol.v1.CryptokiGrpc;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The application's one connection to its HSM: opened by C_Initialize (ready within connect-timeout
 * or CKR_DEVICE_ERROR), one unary call per PKCS#11 function with the call-timeout deadline, shut down
 * by C_Finalize. When the HSM goes away, calls fail with the mapped CK_RV and the channel reconnects
 * by itself; the node sees a new application then, so new sessions work and old handles are invalid.
 */
final class HsmConnection {
    private final ClientConfig.HostAndPort hsm;
    private final ClientConfig config;
    private final ManagedChannel channel;
    private final CryptokiGrpc.CryptokiBlockingStub stub;

    private HsmConnection(ClientConfig config, ClientConfig.HostAndPort hsm, ManagedChannel channel) {
        this.config = config;
        this.hsm = hsm;
        this.channel = channel;
        this.stub = CryptokiGrpc.newBlockingStub(channel);
    }

    static HsmConnection open(ClientConfig config, ClientConfig.HostAndPort hsm, ManagedChannel channel) {
        HsmConnection c = new HsmConnection(config, hsm, channel);
        if (!c.awaitReady(config.connectTimeout().toMillis())) {
            channel.shutdownNow();
            String why = "cannot connect to HSM " + hsm + " within " + config.connectTimeout().toMillis()
                    + " ms (connect-timeout-ms): check that the node runs (jhsm cluster status), that " + hsm
                    + " is reachable from here, and that hsm-ca-cert is the cluster's trust anchor";
            ClientLog.get().problem("CKR_DEVICE_ERROR", "C_Initialize: " + why);
            throw new CkException(CKR.DEVICE_ERROR, why);
        }
        return c;
    }

    private boolean awaitReady(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        ConnectivityState state = channel.getState(true);
        while (state != ConnectivityState.READY) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || state == ConnectivityState.SHUTDOWN) {
                return false;
            }
            CountDownLatch changed = new CountDownLatch(1);
            channel.notifyWhenStateChanged(state, changed::countDown);
            try {
                changed.await(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            state = channel.getState(true);
        }
        return true;
    }

    /** One PKCS#11 call: the node's Response, or a CkException mapped from the gRPC status. */
    Response call(Request request) {
        try {
            return stub.withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS).call(request);
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            if (status.getCode() == Status.Code.UNAVAILABLE) {
                channel.resetConnectBackoff(); // the next call tries the HSM at once instead of after the backoff
            }
            long rv = StatusMapping.rv(status.getCode(), request.getFunctionCase());
            String what = StatusMapping.functionName(request.getFunctionCase()) + " to HSM " + hsm + ": " + status.getCode()
                    + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")")
                    + (status.getCode() == Status.Code.DEADLINE_EXCEEDED ? " after " + config.callTimeout().toMillis() + " ms" : "")
                    + "; " + StatusMapping.advice(status.getCode());
            ClientLog.get().problem(io.jhsm.pkcs11.CKR.name(rv), what);
            throw new CkException(rv, what);
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
