package io.jhsm.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retry mode standard|off against a real gRPC server that answers throttled (CloudHSM's 0xBB) a given number of times. */
class ThrottleRetryTest {
    @TempDir
    Path dir;

    private interface Check {
        void run(ThrottledHsm hsm, RemoteCryptoki app) throws Exception;
    }

    /** An application of a fresh throttling HSM, its config changed by {@code settings}; the counters start at 0. */
    private void withApp(UnaryOperator<ClientConfig> settings, Check check) throws Exception {
        try (ThrottledHsm hsm = new ThrottledHsm()) {
            RemoteCryptoki app = ThrottledHsm.client(settings.apply(hsm.config(dir)));
            app.C_Initialize(InitializeArgs.NONE);
            try {
                hsm.calls.set(0);
                hsm.keyAvailabilityHeaders.clear();
                check.run(hsm, app);
            } finally {
                app.C_Finalize();
            }
        }
    }

    private static void assertFunctionFailed(RemoteCryptoki app) {
        CkException e = assertThrows(CkException.class, () -> app.C_GetSlotList(true));
        assertEquals(CKR.name(CKR.FUNCTION_FAILED), CKR.name(e.rv()));
    }

    @Test
    void standardModeRetriesAThrottledCallUntilItSucceeds() throws Exception {
        withApp(c -> c, (hsm, app) -> {
            hsm.throttledAnswers.set(3);
            assertArrayEquals(new long[] {0}, app.C_GetSlotList(true));
            assertEquals(4, hsm.calls.get(), "three throttled answers, then the one that got through");
        });
    }

    @Test
    void standardModeGivesUpAfterThreeRetriesWithTheThrottledAnswer() throws Exception {
        withApp(c -> c, (hsm, app) -> {
            hsm.throttledAnswers.set(10);
            assertFunctionFailed(app);
            assertEquals(4, hsm.calls.get(), "the call and 3 retries");
        });
    }

    @Test
    void retryModeOffAnswersTheThrottledCallAtOnce() throws Exception {
        withApp(c -> c.withRetryMode(ClientConfig.RetryMode.OFF), (hsm, app) -> {
            hsm.throttledAnswers.set(1);
            assertFunctionFailed(app);
            assertEquals(1, hsm.calls.get());
            assertArrayEquals(new long[] {0}, app.C_GetSlotList(true), "the next call is not throttled");
        });
    }

    @Test
    void disablingTheKeyAvailabilityCheckSendsTheHeaderOnEveryCall() throws Exception {
        withApp(c -> c.withKeyAvailabilityCheck(false), (hsm, app) -> {
            app.C_GetSlotList(true);
            app.C_GetSlotList(false);
            assertEquals(List.of("off", "off"), hsm.keyAvailabilityHeaders);
        });
    }

    @Test
    void theKeyAvailabilityCheckStaysOnByDefault() throws Exception {
        withApp(c -> c, (hsm, app) -> {
            app.C_GetSlotList(true);
            assertEquals(List.of("null"), hsm.keyAvailabilityHeaders);
        });
    }
}
