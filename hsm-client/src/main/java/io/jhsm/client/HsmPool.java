package io.jhsm.client;

import io.grpc.ManagedChannel;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The cluster's HSMs as this application knows them (one slot per cluster) and the choice among them:
 * a new session goes to the least-loaded serving HSM (fewest of the application's own sessions, ties by the
 * HSM's reported sessions, then round robin), as CloudHSM's client spreads work over the cluster's HSMs
 * ([UG]/cluster-high-availability-load-balancing.html); a call without a session goes to any serving HSM.
 */
final class HsmPool {
    private final ClientConfig config;
    private final Function<ClientConfig.HostAndPort, ManagedChannel> channels;
    private final Map<ClientConfig.HostAndPort, HsmMember> members = new ConcurrentHashMap<>();
    private final AtomicInteger roundRobin = new AtomicInteger();
    /** Connects in the background: to the HSMs listed beside the one that answers first at C_Initialize. */
    private final ExecutorService connecting = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jhsm-connect");
        t.setDaemon(true);
        return t;
    });
    private final java.util.Set<HsmMember> inFlight = ConcurrentHashMap.newKeySet();
    private volatile Runnable onLoss = () -> { };

    HsmPool(ClientConfig config, Function<ClientConfig.HostAndPort, ManagedChannel> channels) {
        this.config = config;
        this.channels = channels;
        config.hsms().forEach(this::member);
    }

    ClientConfig config() {
        return config;
    }

    /** Run when a call finds an HSM lost (discovery refreshes at once). */
    void onLoss(Runnable r) {
        onLoss = r;
    }

    HsmMember member(ClientConfig.HostAndPort address) {
        return members.computeIfAbsent(address, HsmMember::new);
    }

    Collection<HsmMember> members() {
        return members.values();
    }

    /**
     * C_Initialize: connects to every listed HSM at once and returns the first that answers (within
     * connect-timeout); the others go on connecting in the background. All refused: CKR_DEVICE_ERROR, the
     * first reason in the message (each was logged).
     */
    HsmMember bootstrap() {
        ExecutorCompletionService<HsmMember> done = new ExecutorCompletionService<>(connecting);
        List<HsmMember> listed = config.hsms().stream().map(this::member).toList();
        for (HsmMember m : listed) {
            done.submit(() -> {
                m.connect(config, channels, "C_Initialize");
                return m;
            });
        }
        CkException first = null;
        long deadline = System.nanoTime() + config.connectTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < listed.size(); i++) {
            try {
                Future<HsmMember> f = done.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (f == null) {
                    break;
                }
                return f.get();
            } catch (ExecutionException e) {
                if (first == null && e.getCause() instanceof CkException ck) {
                    first = ck;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw first != null ? first : new CkException(CKR.DEVICE_ERROR, "no HSM of " + config.hsms() + " answered within connect-timeout-ms");
    }

    /** The HSMs a new session may go to, best first; then the lost ones as a last resort (they may be back). */
    /** As {@link #forNewSession()}, but a placeable HSM that {@code first} picks goes ahead of the load order. */
    List<HsmMember> forNewSession(java.util.function.Predicate<HsmMember> first) {
        List<HsmMember> order = forNewSession();
        for (int i = 0; i < order.size(); i++) {
            HsmMember m = order.get(i);
            if (m.placeable() && first.test(m)) {
                order.remove(i);
                order.add(0, m);
                break;
            }
        }
        return order;
    }

    List<HsmMember> forNewSession() {
        record Load(HsmMember member, int own, long reported) { }
        List<Load> ok = new ArrayList<>();
        List<HsmMember> rest = new ArrayList<>();
        for (HsmMember m : members.values()) {
            if (m.placeable()) {
                ok.add(new Load(m, m.sessions(), m.reportedSessions()));
            } else if (m.isMember()) {
                rest.add(m);
            }
        }
        ok.sort(Comparator.comparingInt(Load::own).thenComparingLong(Load::reported).thenComparing(l -> l.member().address.toString()));
        int ties = 0;
        while (ties < ok.size() && ok.get(ties).own() == ok.get(0).own() && ok.get(ties).reported() == ok.get(0).reported()) {
            ties++;
        }
        if (ties > 1) { // among the equally loaded at the head, start at the next one in turn
            Collections.rotate(ok.subList(0, ties), -Math.floorMod(roundRobin.getAndIncrement(), ties));
        }
        List<HsmMember> order = new ArrayList<>(ok.stream().map(Load::member).toList());
        order.addAll(rest);
        return order;
    }

    /** The HSMs a call without a session may go to: connected serving ones first. */
    List<HsmMember> forAnyCall() {
        List<HsmMember> all = forNewSession();
        all.sort(Comparator.comparing((HsmMember m) -> m.lost()).thenComparing(m -> m.connection() == null));
        return all;
    }

    HsmConnection connect(HsmMember m, String during) {
        return m.connect(config, channels, during);
    }

    /** Tries to connect {@code m} off the caller's thread (one attempt at a time per HSM). */
    void connectInBackground(HsmMember m) {
        if (inFlight.add(m)) {
            try {
                connecting.execute(() -> {
                    try {
                        m.connect(config, channels, "HSM discovery");
                    } catch (RuntimeException stillDown) {
                        // logged by HsmConnection.open; tried again at the next refresh
                    } finally {
                        inFlight.remove(m);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                inFlight.remove(m);
            }
        }
    }

    /** A call found {@code m} gone or hung: no new sessions there for a while, and discovery looks again now. */
    void lost(HsmMember m) {
        m.markLost();
        onLoss.run();
    }

    void close() {
        connecting.shutdownNow();
        members.values().forEach(HsmMember::close);
    }
}
