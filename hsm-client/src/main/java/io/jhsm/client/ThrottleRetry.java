package io.jhsm.client;

import io.jhsm.pkcs11.CKR;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * CloudHSM's client retry strategy (Client SDK 5.8.0+, [UG]/pkcs11-library-configs-retry.html): an answer
 * marked throttled (HSM error 0xBB, the call did nothing) is sent again up to 3 times, 100, 200 and 400 ms
 * apart plus up to half as much jitter, in retry-mode {@code standard}; {@code off} returns it at once. The
 * retries stay inside the call's own call-timeout-ms, so nothing blocks past it. The throttled answer the
 * application finally gets leaves one line in the client log.
 */
final class ThrottleRetry {
    static final int RETRIES = 3;
    static final long FIRST_BACKOFF_MILLIS = 100;

    private final ClientConfig config;

    ThrottleRetry(ClientConfig config) {
        this.config = config;
    }

    /** The HSM's answer by {@code deadline} (System.nanoTime), retried while throttled as the retry mode says. */
    Response call(HsmMember hsm, HsmConnection connection, Request request, long deadline) {
        Response r = connection.call(request, deadline);
        if (!r.getThrottled()) {
            return r;
        }
        int retries = 0;
        if (config.retryMode() == ClientConfig.RetryMode.STANDARD) {
            long backoff = FIRST_BACKOFF_MILLIS;
            while (r.getThrottled() && retries < RETRIES) {
                long pause = backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) >= deadline || !sleep(pause)) {
                    break;
                }
                retries++;
                r = connection.call(request, deadline);
                backoff *= 2;
            }
        }
        if (r.getThrottled()) {
            giveUp(hsm, request, r, retries);
        }
        return r;
    }

    private void giveUp(HsmMember hsm, Request request, Response r, int retries) {
        String mode = config.retryMode().name().toLowerCase(java.util.Locale.ROOT);
        String what = config.retryMode() == ClientConfig.RetryMode.OFF ? "not retried"
                : retries == RETRIES ? "still throttled after " + RETRIES + " retries"
                : "gave up after " + retries + " retries to stay within call-timeout-ms " + config.callTimeout().toMillis();
        ClientLog.get().problem(CKR.name(r.getRv()), "HSM " + hsm.label() + " throttled "
                + StatusMapping.functionName(request.getFunctionCase()) + " (HSM error 0xBB); " + what
                + " (retry-mode=" + mode + "); the HSM has too many requests: spread the load, add HSMs, or retry later"
                + (config.retryMode() == ClientConfig.RetryMode.OFF ? " (retry-mode = standard retries up to 3 times)" : ""));
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
