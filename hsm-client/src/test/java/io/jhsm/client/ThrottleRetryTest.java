package io.jhsm.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retry mode standard|off against a real gRPC server that answers throttled (CloudHSM's 0xBB) a given number of times. */
class ThrottleRetryTest {
    @TempDir
    Path dir;

    @Test
    void standardModeRetriesAThrottledCallUntilItSucceeds() throws Exception {
        try (ThrottledHsm hsm = new ThrottledHsm()) {
            RemoteCryptoki app = ThrottledHsm.client(hsm.config(dir));
            app.C_Initialize(InitializeArgs.NONE);
            try {
                hsm.calls.set(0);
                hsm.throttledAnswers.set(3);
                assertArrayEquals(new long[] {0}, app.C_GetSlotList(true));
                assertEquals(4, hsm.calls.get(), "three throttled answers, then the one that got through");
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void standardModeGivesUpAfterThreeRetriesWithTheThrottledAnswer() throws Exception {
        try (ThrottledHsm hsm = new ThrottledHsm()) {
            RemoteCryptoki app = ThrottledHsm.client(hsm.config(dir));
            app.C_Initialize(InitializeArgs.NONE);
            try {
                hsm.calls.set(0);
                hsm.throttledAnswers.set(10);
                CkException e = assertThrows(CkException.class, () -> app.C_GetSlotList(true));
                assertEquals(CKR.name(CKR.FUNCTION_FAILED), CKR.name(e.rv()));
                assertEquals(4, hsm.calls.get(), "the call and 3 retries");
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void retryModeOffAnswersTheThrottledCallAtOnce() throws Exception {
        try (ThrottledHsm hsm = new ThrottledHsm()) {
            RemoteCryptoki app = ThrottledHsm.client(hsm.config(dir).withRetryMode(ClientConfig.RetryMode.OFF));
            app.C_Initialize(InitializeArgs.NONE);
            try {
                hsm.calls.set(0);
                hsm.throttledAnswers.set(1);
                CkException e = assertThrows(CkException.class, () -> app.C_GetSlotList(true));
                assertEquals(CKR.name(CKR.FUNCTION_FAILED), CKR.name(e.rv()));
                assertEquals(1, hsm.calls.get());
                assertArrayEquals(new long[] {0}, app.C_GetSlotList(true), "the next call is not throttled");
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void disablingTheKeyAvailabilityCheckSendsTheHeaderOnEveryCall() throws Exception {
        try (ThrottledHsm hsm = new ThrottledHsm()) {
            RemoteCryptoki app = ThrottledHsm.client(hsm.config(dir).withKeyAvailabilityCheck(false));
            app.C_Initialize(InitializeArgs.NONE);
            try {
                hsm.keyAvailabilityHeaders.clear();
                app.C_GetSlotList(true);
                app.C_GetSlotList(false);
                assertEquals(List.of("off", "off"), hsm.keyAvailabilityHeaders);
            } finally {
                app.C_Finalize();
            }
        }
    }

    @Test
    void theKeyAvailabilityCheckStaysOnByDefault() throws Exception {
        try (ThrottledHsm hsm = new ThrottledHsm()) {
            RemoteCryptoki app = ThrottledHsm.client(hsm.config(dir));
            app.C_Initialize(InitializeArgs.NONE);
            try {
                hsm.keyAvailabilityHeaders.clear();
                app.C_GetSlotList(true);
                assertEquals(List.of("null"), hsm.keyAvailabilityHeaders);
            } finally {
                app.C_Finalize();
            }
        }
    }
}
