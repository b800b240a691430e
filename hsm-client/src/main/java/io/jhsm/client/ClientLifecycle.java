package io.jhsm.client;

import io.grpc.ManagedChannel;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;
import java.util.function.Function;

/**
 * C_Initialize, C_Finalize and the blocking C_WaitForSlotEvent of the network client: the connections to the
 * cluster's HSMs exist from one to the other; outside, every call gets CKR_CRYPTOKI_NOT_INITIALIZED.
 */
final class ClientLifecycle {
    /** The application's view of the cluster between C_Initialize and C_Finalize. */
    record Cluster(HsmPool pool, Discovery discovery, SessionRouter router, Logins logins) {
        static Cluster start(HsmPool pool) {
            HsmMember first = pool.bootstrap();
            SessionRouter router = new SessionRouter(pool);
            Logins logins = new Logins(pool, router);
            router.logins(logins);
            Discovery discovery = new Discovery(pool);
            discovery.start(first);
            return new Cluster(pool, discovery, router, logins);
        }

        void close() {
            logins.forget();
            discovery.close();
            pool.close();
        }
    }

    private final ClientConfig fixedConfig;
    private final Function<ClientConfig.HostAndPort, ManagedChannel> channels;
    private final Object lock = new Object();
    private volatile Cluster connection;

    /** {@code fixedConfig} null: read {@code JHSM_CONF} at each C_Initialize; {@code channels} null: HsmChannels (TLS). */
    ClientLifecycle(ClientConfig fixedConfig, Function<ClientConfig.HostAndPort, ManagedChannel> channels) {
        this.fixedConfig = fixedConfig;
        this.channels = channels;
    }

    Cluster current() {
        Cluster c = connection;
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
            HsmPool pool = new HsmPool(config, hsm -> channel(config, hsm));
            try {
                connection = Cluster.start(pool);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
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
            ClientLog.get().problem("CKR_DEVICE_ERROR", why);
            throw new CkException(CKR.DEVICE_ERROR, why, e);
        }
    }

    void finish() {
        synchronized (lock) {
            Cluster c = current();
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
