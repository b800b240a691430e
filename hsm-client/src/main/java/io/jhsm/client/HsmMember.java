package io.jhsm.client;

import io.grpc.ManagedChannel;
import io.jhsm.protocol.v1.HsmEntry;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One HSM of the cluster as this application knows it: its address, what discovery last said of it (HSM id,
 * state, sessions), whether it is lost, the connection (opened on first use: one application on that HSM),
 * the application's sessions there and whether the application is logged in there.
 */
final class HsmMember {
    /** A lost HSM gets no new sessions for this long, unless nothing else is left (a hung one would hang them). */
    static final long LOST_COOL_OFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    final ClientConfig.HostAndPort address;
    private final Object connecting = new Object();
    private volatile HsmConnection connection;
    private volatile String hsmId;
    /** In the cluster's latest HSM list (discovery), or listed in hsms (discovery off). */
    private volatile boolean member = true;
    /** ACTIVE or DEGRADED in the latest list: it serves calls. */
    private volatile boolean serving = true;
    private volatile long reportedSessions;
    private volatile long lostAt;
    private boolean sessionObjects;
    private final java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean lost;
    /** The application's open sessions here, counted on {@link #countEpoch}'s connection. */
    private int sessions;
    private int countEpoch;
    /** The application could not be logged in here while logged in elsewhere: no new sessions until it logs out. */
    private volatile boolean loginRefused;
    /** The connection epoch the application logged in on, or -1. */
    private volatile int loggedInEpoch = -1;

    HsmMember(ClientConfig.HostAndPort address) {
        this.address = address;
    }

    /** The HSM id once discovery named it, else the address: what log lines call it. */
    String label() {
        String id = hsmId;
        return id != null ? id + " (" + address + ")" : address.toString();
    }

    /** The connection, opened now (within connect-timeout) on first use; CkException CKR_DEVICE_ERROR when it fails. */
    HsmConnection connect(ClientConfig config, Function<ClientConfig.HostAndPort, ManagedChannel> channels, String during) {
        HsmConnection c = connection;
        if (c != null) {
            return c;
        }
        synchronized (connecting) {
            if (connection == null) {
                try {
                    connection = HsmConnection.open(config, address, channels.apply(address), during);
                } catch (RuntimeException e) {
                    markLost();
                    throw e;
                }
                lost = false;
            }
            return connection;
        }
    }

    /** The connection if one was opened, else null. */
    HsmConnection connection() {
        return connection;
    }

    void close() {
        HsmConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /** Discovery's latest word on this HSM. */
    void update(HsmEntry entry) {
        if (!entry.getHsmId().isEmpty()) {
            hsmId = entry.getHsmId();
        }
        member = true;
        serving = "ACTIVE".equals(entry.getState()) || "DEGRADED".equals(entry.getState()) || entry.getState().isEmpty();
        reportedSessions = entry.getSessions();
    }

    /** Not in the cluster's list any more (removed or replaced): no new sessions; its open ones stay routed. */
    void retire() {
        member = false;
    }

    boolean isMember() {
        return member;
    }

    long reportedSessions() {
        return reportedSessions;
    }

    void markLost() {
        lost = true;
        lostAt = System.nanoTime();
    }

    /** The highest log index this HSM reported applied ({@link SessionRouter}'s read-your-writes across HSMs). */
    long applied() {
        return applied.get();
    }

    void applied(long index) {
        applied.accumulateAndGet(index, Math::max);
    }

    void markReachable() {
        lost = false;
    }

    boolean lost() {
        return lost;
    }

    /** New sessions may go here: a serving member, not lost (or lost long enough ago and connected again). */
    boolean placeable() {
        if (!member || !serving || loginRefused) {
            return false;
        }
        if (!lost) {
            return true;
        }
        HsmConnection c = connection;
        return c != null && c.ready() && System.nanoTime() - lostAt > LOST_COOL_OFF_NANOS;
    }

    // ---- The application's sessions and login here (guarded by this)

    synchronized int sessions() {
        syncEpoch();
        return sessions;
    }

    /** A session opened on {@code epoch}; returns how many the application had here before it. */
    synchronized int sessionOpened(int epoch) {
        syncEpoch();
        return epoch == countEpoch ? sessions++ : sessions;
    }

    /** The application made a session object here: its new sessions come here while it has sessions here. */
    synchronized void holdsSessionObjects() {
        syncEpoch();
        sessionObjects = sessions > 0;
    }

    /** Whether this HSM holds session objects of the application (they end with its last session here). */
    synchronized boolean hasSessionObjects() {
        syncEpoch();
        return sessionObjects && sessions > 0;
    }

    synchronized void sessionClosed(int epoch) {
        syncEpoch();
        if (epoch == countEpoch && sessions > 0 && --sessions == 0) {
            sessionObjects = false;
            loggedInEpoch = -1; // PKCS#11: the application's last session on that HSM closed, so it is logged out there
        }
    }

    /** A new connection (new application on the node): its sessions, session objects and login are gone. */
    private void syncEpoch() {
        HsmConnection c = connection;
        if (c != null && c.epoch() != countEpoch) {
            countEpoch = c.epoch();
            sessions = 0;
            sessionObjects = false;
            loggedInEpoch = -1;
        }
    }

    boolean loggedIn() {
        HsmConnection c = connection;
        return c != null && loggedInEpoch == c.epoch();
    }

    void loggedIn(int epoch) {
        loggedInEpoch = epoch;
    }

    void loggedOut() {
        loggedInEpoch = -1;
        loginRefused = false;
    }

    void loginRefused() {
        loginRefused = true;
    }
}
