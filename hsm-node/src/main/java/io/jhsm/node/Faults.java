package io.jhsm.node;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jhsm.pkcs11.CKR;
import io.jhsm.protocol.v1.Empty;
import io.jhsm.protocol.v1.FaultRequest;
import io.jhsm.protocol.v1.FaultState;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Faults on demand for applications' tests ({@code jhsm cluster fault}), applied to every Cryptoki call before
 * it is dispatched: throttling (a fraction of calls refused as CloudHSM's HSM error 0xBB, spread evenly over the
 * calls, so at rate 0.5 every other call is refused and a client's first retry gets through), latency (the call runs that much later, on a timer, no thread waits),
 * stop (calls are queued unanswered until {@code clear}, or dropped from the queue when the client's deadline
 * cancels them) and partition (the Raft side's {@link PeerLink}). Management is never faulted, so {@code clear}
 * always gets through. Without a fault a call costs one volatile read here.
 */
public final class Faults implements AutoCloseable {
    static final String THROTTLED = "HSM error 0xBB: the HSM is throttled (too many requests); retry with backoff";
    static final String NOT_IN_A_CLUSTER = "not in a cluster: this HSM has no Raft peers to be partitioned from";
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final String hsmId;
    private final PeerLink link;
    private final Consumer<String> log;
    private final LongSupplier clock;
    /** Cryptoki calls since the throttle rate was set: call n is throttled when it crosses a multiple of 1/rate. */
    private final AtomicLong calls = new AtomicLong();
    private final Queue<Held> held = new ConcurrentLinkedQueue<>();
    private final AtomicLong throttledSinceLine = new AtomicLong();
    private final AtomicLong nextLine = new AtomicLong(Long.MIN_VALUE);
    /** Made by the first latency fault: a node that is never delayed has no timer thread. */
    private volatile ScheduledExecutorService timer;
    private volatile boolean any;
    private volatile double throttleRate;
    private volatile int latencyMs;
    private volatile boolean stopped;
    private volatile boolean partitioned;

    /** {@code link} is null for a standalone node (partition is refused). */
    public Faults(String hsmId, PeerLink link, Consumer<String> log, LongSupplier clock) {
        this.hsmId = hsmId;
        this.link = link;
        this.log = log;
        this.clock = clock;
    }

    /** A node's faults, logging on stderr. */
    public static Faults forNode(String hsmId, PeerLink link) {
        return new Faults(hsmId, link, CryptokiLog::line, System::nanoTime);
    }

    /**
     * Changes the faults as asked (throttle and latency replace their own setting and keep the others; clear
     * ends every fault, answers the held calls and heals a partition) and answers the state now in force.
     * A rate outside 0..1 is an IllegalArgumentException; partition on a standalone node an IllegalStateException.
     */
    public synchronized FaultState set(FaultRequest request) {
        switch (request.getFaultCase()) {
            case THROTTLE_RATE -> {
                double r = request.getThrottleRate();
                if (!(r >= 0 && r <= 1)) {
                    throw new IllegalArgumentException("the throttle rate is a fraction of calls, 0 to 1: " + r);
                }
                throttleRate = r;
                calls.set(0);
            }
            case LATENCY_MS -> {
                if (timer == null) {
                    timer = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "jhsm-node-fault-latency");
                        t.setDaemon(true);
                        return t;
                    });
                }
                latencyMs = request.getLatencyMs();
            }
            case STOP -> stopped = true;
            case PARTITION -> {
                if (link == null) {
                    throw new IllegalStateException(NOT_IN_A_CLUSTER);
                }
                if (!partitioned) {
                    link.cut();
                    partitioned = true;
                }
            }
            case CLEAR -> {
                throttleRate = 0;
                latencyMs = 0;
                stopped = false;
                if (partitioned) {
                    link.heal();
                    partitioned = false;
                }
                releaseHeld();
            }
            case SHOW -> { }
            case FAULT_NOT_SET -> throw new IllegalArgumentException("no fault named: throttle_rate, latency_ms, stop, partition, clear or show");
        }
        any = throttleRate > 0 || latencyMs > 0 || stopped;
        FaultState s = state();
        log.accept(hsmId + ": fault " + request.getFaultCase().name().toLowerCase() + " -> " + describe(s));
        return s;
    }

    public FaultState state() {
        return FaultState.newBuilder().setThrottleRate(throttleRate).setLatencyMs(latencyMs).setStopped(stopped)
                .setPartitioned(partitioned).build();
    }

    /** Calls held by {@code stop} and not yet cancelled by their client. */
    int held() {
        return held.size();
    }

    /**
     * Runs {@code call} (which dispatches the request and answers {@code out}) as the faults say: now, later,
     * once cleared, or never (a throttled call is answered here and does nothing).
     */
    void apply(Request request, StreamObserver<Response> out, Runnable call) {
        apply(request, () -> true, out, call);
    }

    /**
     * As {@link #apply(Request, StreamObserver, Runnable)}, for a node whose token has the profile
     * {@code cloudHsmToken} says (asked only when a call is throttled): see {@link #throttledRv}.
     */
    void apply(Request request, BooleanSupplier cloudHsmToken, StreamObserver<Response> out, Runnable call) {
        if (!any) {
            call.run();
            return;
        }
        if (stopped) {
            hold(out, call);
            return;
        }
        Runnable answer = throttle() ? () -> answerThrottled(request, cloudHsmToken, out) : call;
        int delay = latencyMs;
        if (delay > 0) {
            timer.schedule(answer, delay, TimeUnit.MILLISECONDS);
        } else {
            answer.run();
        }
    }

    /**
     * Exactly the rate's fraction of calls, evenly spread (call n is refused when floor((n + 1) r) passes floor(n r)):
     * issue 15 asks that at rate 0.5 an application in retry mode standard succeeds, which a coin per call would
     * break once in 16 calls even after CloudHSM's 3 retries.
     */
    private boolean throttle() {
        double r = throttleRate;
        if (r <= 0) {
            return false;
        }
        long n = calls.getAndIncrement();
        return (long) Math.floor((n + 1) * r) > (long) Math.floor(n * r);
    }

    /**
     * A throttled call's CK_RV. CloudHSM's library turns HSM error 0xBB into CKR_FUNCTION_FAILED
     * (troubleshoot-hsm-throttling.html), except C_GetAttributeValue, which answers CKR_DEVICE_ERROR (a known issue,
     * ki-pkcs11-sdk.html): that on a cloudhsm-profile token; a pkcs11-profile token answers CKR_FUNCTION_FAILED for
     * every function, a code C_GetAttributeValue lists in the specification.
     */
    static long throttledRv(Request request, boolean cloudHsmToken) {
        return cloudHsmToken && request.getFunctionCase() == Request.FunctionCase.GET_ATTRIBUTE_VALUE
                ? CKR.DEVICE_ERROR : CKR.FUNCTION_FAILED;
    }

    private void answerThrottled(Request request, BooleanSupplier cloudHsmToken, StreamObserver<Response> out) {
        long rv = throttledRv(request, cloudHsmToken.getAsBoolean());
        out.onNext(Response.newBuilder().setRv(rv).setThrottled(true).setMessage(THROTTLED).setNone(Empty.getDefaultInstance()).build());
        out.onCompleted();
        noteThrottled();
    }

    /** One log line per second at most, however many calls are throttled: a throttled node is a busy one. */
    private void noteThrottled() {
        throttledSinceLine.incrementAndGet();
        long now = clock.getAsLong();
        long next = nextLine.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextLine.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            log.accept(hsmId + ": " + THROTTLED + " — " + throttledSinceLine.getAndSet(0) + " call(s) refused as throttled"
                    + " (fault throttle --rate " + throttleRate + "; jhsm cluster fault … clear ends it)");
        }
    }

    private void hold(StreamObserver<Response> out, Runnable call) {
        Held h = new Held(call);
        if (out instanceof ServerCallStreamObserver<Response> server) {
            // The client's deadline cancels the call: it leaves the queue (and onNext on it would be ignored).
            server.setOnCancelHandler(() -> {
                h.cancel();
                held.remove(h);
            });
        }
        held.add(h);
        if (!stopped) {
            releaseHeld(); // cleared while this call was being queued
        }
    }

    private void releaseHeld() {
        for (Held h; (h = held.poll()) != null; ) {
            h.runOnce();
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        held.clear();
    }

    /** The faults in force in a few words ("throttle 0.5 latency 20 ms"; "none"). */
    public static String describe(FaultState s) {
        if (s.getThrottleRate() == 0 && s.getLatencyMs() == 0 && !s.getStopped() && !s.getPartitioned()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        if (s.getThrottleRate() > 0) {
            b.append("throttle ").append(s.getThrottleRate()).append(' ');
        }
        if (s.getLatencyMs() > 0) {
            b.append("latency ").append(s.getLatencyMs()).append(" ms ");
        }
        if (s.getStopped()) {
            b.append("stopped ");
        }
        if (s.getPartitioned()) {
            b.append("partitioned ");
        }
        return b.toString().strip();
    }

    private static final class Held {
        private final Runnable call;
        private final AtomicBoolean done = new AtomicBoolean();

        Held(Runnable call) {
            this.call = call;
        }

        void cancel() {
            done.set(true);
        }

        void runOnce() {
            if (done.compareAndSet(false, true)) {
                call.run();
            }
        }
    }
}
