package io.jhsm.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jhsm.protocol.v1.HsmEntry;
import io.jhsm.protocol.v1.HsmList;
import io.jhsm.protocol.v1.ListHsmsRequest;
import io.jhsm.protocol.v1.ManagementGrpc;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds the cluster's HSMs from any one of them (Management/ListHsms, as CloudHSM's client bootstraps from one
 * HSM address or the cluster id, [UG]/cluster-connect.html) at C_Initialize, then every few seconds in a
 * daemon thread and at once after a call found an HSM lost, so returning and replacement HSMs get new
 * sessions. A node that answers UNIMPLEMENTED (older than clusters) is a one-HSM cluster. With
 * {@code discovery = off} the HSMs listed in {@code hsms} are the cluster; lost ones are still probed.
 */
final class Discovery implements AutoCloseable {
    static final long PERIOD_MILLIS = 3_000;
    private static final long LIST_TIMEOUT_MILLIS = 5_000;

    private final HsmPool pool;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jhsm-discovery");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean soon = new AtomicBoolean();

    Discovery(HsmPool pool) {
        this.pool = pool;
    }

    /** C_Initialize: the first list from the HSM that answered, then the refresh thread. */
    void start(HsmMember bootstrap) {
        if (pool.config().discovery()) {
            listFrom(bootstrap);
        }
        pool.onLoss(this::refreshSoon);
        timer.scheduleWithFixedDelay(this::refresh, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    void refreshSoon() {
        if (soon.compareAndSet(false, true)) {
            try {
                timer.execute(() -> {
                    soon.set(false);
                    refresh();
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // C_Finalize ran
            }
        }
    }

    private void refresh() {
        try {
            probeLost();
            if (!pool.config().discovery()) {
                return;
            }
            for (HsmMember m : pool.forAnyCall()) {
                if (m.connection() != null && !m.lost() && listFrom(m)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            ClientLog.get().problem("warning", "HSM discovery: " + e + "; the client keeps its current list of HSMs");
        }
    }

    /** Lost HSMs: ask their channels to reconnect now; never connected ones are tried again in the background. */
    private void probeLost() {
        for (HsmMember m : pool.members()) {
            if (!m.lost()) {
                continue;
            }
            HsmConnection c = m.connection();
            if (c != null) {
                c.reconnect();
            } else if (m.isMember()) {
                pool.connectInBackground(m);
            }
        }
    }

    /** True when {@code from} answered (a list, or UNIMPLEMENTED: itself alone). */
    boolean listFrom(HsmMember from) {
        HsmConnection c = from.connection();
        if (c == null) {
            return false;
        }
        try {
            long ms = Math.min(LIST_TIMEOUT_MILLIS, pool.config().callTimeout().toMillis());
            HsmList list = ManagementGrpc.newBlockingStub(c.channel()).withDeadlineAfter(ms, TimeUnit.MILLISECONDS)
                    .listHsms(ListHsmsRequest.getDefaultInstance());
            if (!list.getHsmsList().isEmpty()) {
                apply(list.getHsmsList(), from);
            }
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                apply(List.of(HsmEntry.newBuilder().setAddress(from.address.toString()).setState("ACTIVE").build()), from);
                return true;
            }
            return false;
        }
    }

    private void apply(List<HsmEntry> entries, HsmMember from) {
        Set<HsmMember> listed = new HashSet<>();
        for (HsmEntry e : entries) {
            if (e.getAddress().isEmpty()) {
                continue;
            }
            ClientConfig.HostAndPort a;
            try {
                a = ClientConfig.HostAndPort.parse(e.getAddress());
            } catch (IllegalArgumentException notAnAddress) {
                ClientLog.get().problem("warning", "HSM discovery: HSM " + from.label() + " lists " + e.getHsmId()
                        + " at " + e.getAddress() + ", not HOST:PORT; the client leaves it out (check that node's --listen)");
                continue;
            }
            if (a.host().equals("0.0.0.0") || a.host().equals("::")) { // a node listening on every interface: reach it as we reach its peer
                a = new ClientConfig.HostAndPort(from.address.host(), a.port());
            }
            HsmMember m = pool.member(a);
            m.update(e);
            listed.add(m);
            if (m.connection() == null && !m.lost()) {
                pool.connectInBackground(m); // ready before the application's next C_OpenSession picks it
            }
        }
        for (HsmMember m : pool.members()) {
            if (!listed.contains(m)) {
                m.retire();
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
