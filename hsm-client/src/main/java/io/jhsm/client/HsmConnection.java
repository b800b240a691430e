package io.jhsm.client;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.protocol.RequestSessions;
import io.jhsm.protocol.v1.CryptokiGrpc;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.SessionNumber;
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

    /** Connects within connect-timeout (HsmChannels.connect proves the TLS session), else CKR_DEVICE_ERROR with the reason. */
    static HsmConnection open(ClientConfig config, ClientConfig.HostAndPort hsm, ManagedChannel channel) {
        try {
            HsmChannels.connect(channel, config, hsm);
        } catch (HsmChannels.HsmConnectException e) {
            channel.shutdownNow();
            String why = e.getMessage() + " (C_Initialize waited at most " + config.connectTimeout().toMillis()
                    + " ms, connect-timeout-ms; check the node runs: jhsm cluster status)";
            ClientLog.get().problem("CKR_DEVICE_ERROR", "C_Initialize: " + why);
            throw new CkException(CKR.DEVICE_ERROR, why);
        }
        return new HsmConnection(config, hsm, channel);
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
            throw new CkException(rv, what);
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
