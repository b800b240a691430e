package io.jhsm.node;

import static io.jhsm.node.NodeFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.StreamObserver;
import io.jhsm.client.RemoteCryptoki;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.protocol.v1.Empty;
import io.jhsm.protocol.v1.FaultRequest;
import io.jhsm.protocol.v1.FaultState;
import io.jhsm.protocol.v1.GetAttributeValue;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's faults on demand: what each does to a Cryptoki call, and that clear undoes them. */
class FaultsTest {
    private static final Empty E = Empty.getDefaultInstance();
    private static final Request INFO = Request.newBuilder().setGetInfo(Empty.getDefaultInstance()).build();

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();

    private Faults faults(PeerLink link) {
        return new Faults("hsm-0000abcd", link, log::add, clock::get);
    }

    @Test
    void aThrottledCallDoesNothingAndAnswersFunctionFailedWithCloudHsmsMessage() {
        Faults f = faults(null);
        f.set(FaultRequest.newBuilder().setThrottleRate(1).build());
        Answers out = new Answers();
        AtomicInteger ran = new AtomicInteger();
        f.apply(INFO, out, ran::incrementAndGet);
        assertEquals(0, ran.get(), "the throttled call must not run");
        Response r = out.only();
        assertTrue(r.getThrottled());
        assertEquals(CKR.FUNCTION_FAILED, r.getRv());
        assertEquals("HSM error 0xBB: the HSM is throttled (too many requests); retry with backoff", r.getMessage());
    }

    @Test
    void aThrottledGetAttributeValueIsDeviceErrorAsCloudHsmsLibraryReportsIt() {
        Faults f = faults(null);
        f.set(FaultRequest.newBuilder().setThrottleRate(1).build());
        Answers out = new Answers();
        f.apply(Request.newBuilder().setGetAttributeValue(GetAttributeValue.getDefaultInstance()).build(), out, () -> { });
        assertEquals(CKR.DEVICE_ERROR, out.only().getRv());
        assertTrue(out.only().getThrottled());
    }

    /**
     * CKR_DEVICE_ERROR from a throttled C_GetAttributeValue is CloudHSM's known issue (ki-pkcs11-sdk.html), so only a
     * cloudhsm-profile token has it; a pkcs11-profile token answers CKR_FUNCTION_FAILED, which the function lists.
     */
    @Test
    void aThrottledGetAttributeValueIsFunctionFailedOnAPkcs11TokenAndDeviceErrorOnACloudHsmOne() {
        Faults f = faults(null);
        f.set(FaultRequest.newBuilder().setThrottleRate(1).build());
        Request read = Request.newBuilder().setGetAttributeValue(GetAttributeValue.getDefaultInstance()).build();
        Answers pkcs11 = new Answers();
        f.apply(read, () -> false, pkcs11, () -> { });
        assertEquals(CKR.FUNCTION_FAILED, pkcs11.only().getRv());
        assertTrue(pkcs11.only().getThrottled());
        Answers cloudHsm = new Answers();
        f.apply(read, () -> true, cloudHsm, () -> { });
        assertEquals(CKR.DEVICE_ERROR, cloudHsm.only().getRv());
        Answers otherCall = new Answers();
        f.apply(INFO, () -> true, otherCall, () -> { });
        assertEquals(CKR.FUNCTION_FAILED, otherCall.only().getRv());
    }

    /**
     * Issue 15: at rate 0.5 an application in retry mode standard succeeds. With a coin per call, 1 call in 16
     * would still fail after CloudHSM's 3 retries; the rate is a fraction of calls spread evenly instead.
     */
    @Test
    void aRateThrottlesExactlyThatFractionSpreadEvenlySoTheFirstRetryGetsThrough() {
        String half = pattern(faults(null), 2000, 0.5);
        assertEquals(1000, half.chars().filter(c -> c == 'T').count(), "half of 2000 calls at rate 0.5: " + half);
        assertFalse(half.contains("TT"), "at rate 0.5 no two calls in a row are throttled: " + half);
        String quarter = pattern(faults(null), 2000, 0.25);
        assertEquals(500, quarter.chars().filter(c -> c == 'T').count(), "a quarter of 2000 calls at rate 0.25");
        assertFalse(quarter.contains("TT"), "at rate 0.25 no two calls in a row are throttled: " + quarter);
    }

    private static String pattern(Faults f, int calls, double rate) {
        f.set(FaultRequest.newBuilder().setThrottleRate(rate).build());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < calls; i++) {
            Answers out = new Answers();
            f.apply(INFO, out, () -> out.onNext(Response.getDefaultInstance()));
            b.append(out.only().getThrottled() ? 'T' : '.');
        }
        return b.toString();
    }

    @Test
    void throttlingLogsOneLinePerSecondWithTheCountNotOnePerCall() {
        Faults f = faults(null);
        f.set(FaultRequest.newBuilder().setThrottleRate(1).build());
        log.clear();
        for (int i = 0; i < 100; i++) {
            f.apply(INFO, new Answers(), () -> { });
        }
        assertEquals(1, log.size(), log.toString());
        clock.addAndGet(1_000_000_000L);
        f.apply(INFO, new Answers(), () -> { });
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(1).contains("HSM error 0xBB") && log.get(1).contains("100 call(s)"), log.get(1));
    }

    @Test
    void aRateOutsideZeroToOneIsRefused() {
        Faults f = faults(null);
        assertThrows(IllegalArgumentException.class, () -> f.set(FaultRequest.newBuilder().setThrottleRate(1.5).build()));
        assertThrows(IllegalArgumentException.class, () -> f.set(FaultRequest.newBuilder().setThrottleRate(-0.1).build()));
        assertEquals(0, f.state().getThrottleRate());
    }

    @Test
    void stopHoldsCallsUnansweredAndClearRunsThem() {
        Faults f = faults(null);
        f.set(FaultRequest.newBuilder().setStop(E).build());
        AtomicInteger ran = new AtomicInteger();
        f.apply(INFO, new Answers(), ran::incrementAndGet);
        f.apply(INFO, new Answers(), ran::incrementAndGet);
        assertEquals(0, ran.get());
        assertEquals(2, f.held());
        FaultState s = f.set(FaultRequest.newBuilder().setClear(E).build());
        assertFalse(s.getStopped());
        assertEquals(2, ran.get());
        assertEquals(0, f.held());
    }

    @Test
    void latencyRunsTheCallLaterWithoutHoldingTheCallersThread() throws Exception {
        Faults f = faults(null);
        f.set(FaultRequest.newBuilder().setLatencyMs(200).build());
        CountDownLatch ran = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        AtomicInteger onCaller = new AtomicInteger();
        f.apply(INFO, new Answers(), () -> {
            if (Thread.currentThread() == caller) {
                onCaller.incrementAndGet();
            }
            ran.countDown();
        });
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the delayed call ran");
        assertEquals(0, onCaller.get(), "the delayed call runs on the timer, not the caller's thread");
        f.close();
    }

    @Test
    void partitionIsRefusedOnAStandaloneNode() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> faults(null).set(FaultRequest.newBuilder().setPartition(E).build()));
        assertTrue(e.getMessage().startsWith("not in a cluster"), e.getMessage());
    }

    @Test
    void partitionCutsThePeerLinkOnceAndClearHealsIt() {
        List<String> link = new ArrayList<>();
        Faults f = faults(new PeerLink() {
            @Override
            public void cut() {
                link.add("cut");
            }

            @Override
            public void heal() {
                link.add("heal");
            }
        });
        assertTrue(f.set(FaultRequest.newBuilder().setPartition(E).build()).getPartitioned());
        f.set(FaultRequest.newBuilder().setPartition(E).build());
        f.set(FaultRequest.newBuilder().setClear(E).build());
        f.set(FaultRequest.newBuilder().setClear(E).build());
        assertEquals(List.of("cut", "heal"), link);
        assertFalse(f.state().getPartitioned());
    }

    @Test
    void aStoppedNodesCallEndsAtTheClientsDeadlineAndLeavesNothingHeld() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 16)) {
            RemoteCryptoki app = node.client(Duration.ofMillis(500));
            app.C_Initialize(InitializeArgs.NONE);
            try {
                app.C_GetSlotList(false); // the application is open before the HSM stops
                node.faults.set(FaultRequest.newBuilder().setStop(E).build());
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertRv(CKR.DEVICE_ERROR, () -> app.C_GetSlotList(false)));
                NodeFixture.eventually(() -> node.faults.held() == 0, "the cancelled call left the queue");
                node.faults.set(FaultRequest.newBuilder().setClear(E).build());
                assertEquals(1, app.C_GetSlotList(false).length);
            } finally {
                app.C_Finalize();
            }
        }
    }

    /** What a call answered. */
    private static final class Answers implements StreamObserver<Response> {
        final List<Response> responses = new ArrayList<>();

        @Override
        public void onNext(Response r) {
            responses.add(r);
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        public void onCompleted() { }

        Response only() {
            assertEquals(1, responses.size(), responses.toString());
            return responses.get(0);
        }
    }
}
