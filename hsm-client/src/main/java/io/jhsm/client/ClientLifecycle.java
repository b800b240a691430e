package io.jhsm.client;

import io.grpc.ManagedChannel;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;
import java.util.function.Function;

/**
 * C_Initialize, C_Finalize and the blocking C_WaitForSlotEvent of the network client: the connection
 * exists from one to the other; outside, every call gets CKR_CRYPTOKI_NOT_INITIALIZED.
 */
final class ClientLifecycle {
    private final ClientConfig fixedConfig;
    private final Function<ClientConfig.HostAndPort, ManagedChannel> channels;
    private final Object lock = new Object();
    private volatile HsmConnection connection;

    /** {@code fixedConfig} null: read {@code JHSM_CONF} at each C_Initialize; {@code channels} null: HsmChannels (TLS). */
    ClientLifecycle(ClientConfig fixedConfig, Function<ClientConfig.HostAndPort, ManagedChannel> channels) {
        this.fixedConfig = fixedConfig;
        this.channels = channels;
    }

    HsmConnection current() {
        HsmConnection c = connection;
        if (c == null) {
            throw new CkException(CKR.CRYPTOKI_NOT_INITIALIZED);
        }
        return c;
    }

    void initialize(InitializeArgs args) {
        if (args != null && args.reservedNonNull()) {
            throw new CkException(CKR.ARGUMENTS_BAD, "pReserved must be NULL");
        }
        synchronized (lock) {
            if (connection != null) {
                throw new CkException(CKR.CRYPTOKI_ALREADY_INITIALIZED);
            }
            ClientConfig config = config();
            ClientConfig.HostAndPort hsm = config.hsms().get(0);
            connection = HsmConnection.open(config, hsm, channel(config, hsm));
        }
    }

    private ClientConfig config() {
        if (fixedConfig != null) {
            return fixedConfig;
        }
        try {
            return ClientConfig.fromEnvironment(System.getenv());
        } catch (IllegalStateException e) {
            ClientLog.get().problem("CKR_GENERAL_ERROR", "C_Initialize: " + e.getMessage() + "; fix JHSM_CONF");
            throw new CkException(CKR.GENERAL_ERROR, e.getMessage());
        }
    }

    private ManagedChannel channel(ClientConfig config, ClientConfig.HostAndPort hsm) {
        try {
            return channels != null ? channels.apply(hsm) : HsmChannels.open(config, hsm);
        } catch (RuntimeException e) {
            String why = "cannot set up the channel to HSM " + hsm + ": " + e.getMessage()
                    + "; check hsm-ca-cert, client-cert and client-key in JHSM_CONF";
            ClientLog.get().problem("CKR_DEVICE_ERROR", "C_Initialize: " + why);
            throw new CkException(CKR.DEVICE_ERROR, why, e);
        }
    }

    void finish() {
        synchronized (lock) {
            HsmConnection c = current();
            connection = null;
            c.close();
            lock.notifyAll();
        }
    }

    /** No slot event ever happens (the node has no removable tokens): a blocking wait ends with C_Finalize. */
    long waitUntilFinalized() {
        synchronized (lock) {
            current();
            while (connection != null) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new CkException(CKR.CRYPTOKI_NOT_INITIALIZED);
    }
}
