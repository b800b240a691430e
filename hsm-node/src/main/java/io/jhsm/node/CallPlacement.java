package io.jhsm.node;

import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Request.FunctionCase;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a call runs. The node's server runs calls on the connection's event loop (gRPC's direct executor):
 * a PKCS#11 call on an existing key costs microseconds, and each thread hand-off costs a wake-up, which on
 * a loaded two-core machine measured a quarter of the round trip (docs/performance/network.md). Calls that
 * may block for long — PIN checks (a deliberately slow KDF), key generation, store writes, waiting for a slot
 * event, an application's first call (it opens the store), large payloads — go to a bounded worker pool, so
 * one slow call never stalls the other connections that share the event loop.
 */
final class CallPlacement implements AutoCloseable {
    /** Functions that may block: login/PIN work, store writes, key generation, waits. */
    private static final Set<FunctionCase> BLOCKING = EnumSet.of(
            FunctionCase.INIT_TOKEN, FunctionCase.INIT_PIN, FunctionCase.SET_PIN, FunctionCase.WAIT_FOR_SLOT_EVENT,
            FunctionCase.OPEN_SESSION, FunctionCase.CLOSE_ALL_SESSIONS, FunctionCase.LOGIN, FunctionCase.LOGOUT,
            FunctionCase.CREATE_OBJECT, FunctionCase.COPY_OBJECT, FunctionCase.DESTROY_OBJECT,
            FunctionCase.SET_ATTRIBUTE_VALUE, FunctionCase.FIND_OBJECTS_INIT,
            FunctionCase.GENERATE_KEY, FunctionCase.GENERATE_KEY_PAIR, FunctionCase.WRAP_KEY, FunctionCase.UNWRAP_KEY,
            FunctionCase.DERIVE_KEY, FunctionCase.WRAP_KEY_AUTHENTICATED, FunctionCase.UNWRAP_KEY_AUTHENTICATED,
            FunctionCase.ENCAPSULATE_KEY, FunctionCase.DECAPSULATE_KEY, FunctionCase.SEED_RANDOM,
            FunctionCase.GENERATE_RANDOM, FunctionCase.FUNCTION_NOT_SET);
    /** Above this many bytes a request's own processing (copying, hashing, ciphering) is no longer small. */
    private static final int LARGE_REQUEST_BYTES = 64 * 1024;

    private final ExecutorService workers;

    CallPlacement(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory named = r -> {
            Thread t = new Thread(r, "jhsm-node-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(threads, named);
    }

    /** A pool of at least 8 threads, 4 per core: the blocking calls are mostly waiting (disk, KDF) or short bursts. */
    static CallPlacement forThisMachine() {
        return new CallPlacement(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
    }

    /** Runs {@code call} here when it is quick, on a worker otherwise. */
    void run(Request request, boolean applicationOpen, Runnable call) {
        if (applicationOpen && !BLOCKING.contains(request.getFunctionCase())
                && request.getSerializedSize() <= LARGE_REQUEST_BYTES) {
            call.run();
        } else {
            workers.execute(call);
        }
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
