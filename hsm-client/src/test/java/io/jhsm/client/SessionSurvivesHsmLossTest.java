package io.jhsm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.CkSessionInfo;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session survives its HSM's loss, as the native client's does (issue 18; CloudHSM: in-progress operations on a
 * lost HSM may fail and must be retried, [UG]/bp-cluster-management.html): while the HSM is down its calls fail
 * with CKR_DEVICE_REMOVED; once it serves again the same handle works, re-opened there with its slot and flags and
 * logged in again.
 */
class SessionSurvivesHsmLossTest {
    static final long FLAGS = CKF.SERIAL_SESSION | CKF.RW_SESSION;

    @TempDir
    Path dir;

    private interface Check {
        void run(RestartableHsm hsm, RemoteCryptoki app, long session) throws Exception;
    }

    /** An application of a fresh HSM with one R/W session, logged in as the user. */
    private void withLoggedInSession(Check check) throws Exception {
        try (RestartableHsm hsm = new RestartableHsm()) {
            RemoteCryptoki app = ThrottledHsm.client(hsm.config(dir));
            app.C_Initialize(InitializeArgs.NONE);
            try {
                long session = app.C_OpenSession(0, FLAGS);
                app.C_Login(session, CKU.USER, RestartableHsm.PIN.getBytes(StandardCharsets.UTF_8));
                check.run(hsm, app, session);
            } finally {
                app.C_Finalize();
            }
        }
    }

    private static String rvOf(Runnable call) {
        return CKR.name(assertThrows(CkException.class, call::run).rv());
    }

    @Test
    void aSessionComesBackLoggedInWithItsSlotAndFlagsOnceItsHsmServesAgain() throws Exception {
        withLoggedInSession((hsm, app, session) -> {
            assertEquals(CKS.RW_USER_FUNCTIONS, app.C_GetSessionInfo(session).state());

            hsm.stop();
            assertEquals(CKR.name(CKR.DEVICE_REMOVED), rvOf(() -> app.C_GetSessionInfo(session)), "the HSM is gone");
            assertEquals(CKR.name(CKR.DEVICE_REMOVED), rvOf(() -> app.C_GetSessionInfo(session)),
                    "still gone: the session is suspended, not invalid");

            hsm.start();
            CkSessionInfo info = onceServed(() -> app.C_GetSessionInfo(session));
            assertEquals(CKS.RW_USER_FUNCTIONS, info.state(), "the re-opened session is logged in again");
            assertEquals(FLAGS, info.flags());
            assertEquals(List.of(new RestartableHsm.Opened(1, 0, FLAGS), new RestartableHsm.Opened(2, 0, FLAGS)), hsm.opened,
                    "re-opened on the restarted HSM with the session's slot and flags");
            assertEquals(CKR.name(CKR.USER_ALREADY_LOGGED_IN),
                    rvOf(() -> app.C_Login(session, CKU.USER, RestartableHsm.PIN.getBytes(StandardCharsets.UTF_8))),
                    "the application never stopped being logged in");
            app.C_CloseSession(session);
            assertEquals(CKR.name(CKR.SESSION_HANDLE_INVALID), rvOf(() -> app.C_GetSessionInfo(session)), "closed");
        });
    }

    @Test
    void closingASessionWhoseHsmIsLostSucceedsAndEndsTheLogin() throws Exception {
        withLoggedInSession((hsm, app, session) -> {
            hsm.stop();
            assertEquals(CKR.name(CKR.DEVICE_REMOVED), rvOf(() -> app.C_GetSessionInfo(session)), "the HSM is gone");
            app.C_CloseSession(session); // CKR_OK: the node session ended with the connection
            assertEquals(CKR.name(CKR.SESSION_HANDLE_INVALID), rvOf(() -> app.C_GetSessionInfo(session)), "closed");

            hsm.start();
            long next = onceServed(() -> app.C_OpenSession(0, FLAGS));
            assertEquals(CKS.RW_PUBLIC_SESSION, app.C_GetSessionInfo(next).state(),
                    "the last session closed, so the application was logged out (PKCS#11)");
        });
    }

    /** {@code call} until the HSM serves it (CKR_DEVICE_REMOVED meanwhile), at most 30 s. */
    private static <T> T onceServed(Supplier<T> call) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return call.get();
            } catch (CkException e) {
                assertEquals(CKR.name(CKR.DEVICE_REMOVED), CKR.name(e.rv()), "while the HSM comes back");
                assertTrue(System.nanoTime() < deadline, "the HSM did not serve the call within 30 s");
                Thread.sleep(100);
            }
        }
    }
}
