package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.Role;
import io.jhsm.engine.store.LoginAttempt;
import io.jhsm.engine.store.SqliteTokenStore;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 5-failure lockout under parallel guessing. Each racer has its own engine (its own database connection and
 * monitors, as a separate process has) on one token directory; all start together, each tries 4 wrong PINs,
 * waits for the others, then tries the right one. The integration test LoginLockoutProcessesTest runs the same
 * race with real processes through libjhsm.so.
 */
class LoginLockoutRaceTest {
    private static final int RACERS = 8;
    private static final int WRONG_EACH = 4;

    @TempDir
    Path dir;

    @Test
    void parallelWrongUserPinsNeverGetMoreThanTheLimitOfChecksAndTheRightPinStaysRefused() throws Exception {
        new EngineFixture(dir).initialised().engine.C_Finalize();
        assertLockoutHolds(CKU.USER, "user-secret-1", CKF.USER_PIN_LOCKED);
    }

    @Test
    void parallelWrongSoPinsLockTheOfficerTheSameWay() throws Exception {
        new EngineFixture(dir).initialised().engine.C_Finalize();
        assertLockoutHolds(CKU.SO, "so-secret-1", CKF.SO_PIN_LOCKED);
    }

    @Test
    void parallelWrongPasswordsOfANamedUserLockThatUser() throws Exception {
        new EngineFixture(dir).initialised().withUsers("alice:alice-secret").engine.C_Finalize();
        assertLockoutHolds(CKU.USER, "alice:alice-secret", 0);
        Engine other = EngineFixture.started(dir);
        other.C_Login(other.C_OpenSession(0, CKF.SERIAL_SESSION), CKU.USER, EngineFixture.USER_PIN);
    }

    @Test
    void parallelCliLoginsWithWrongPasswordsLockTheUser() throws Exception {
        new EngineFixture(dir).initialised().engine.C_Finalize();
        Map<String, AtomicInteger> answers = race(racer -> {
            try (CloudHsm hsm = CloudHsm.open(dir.resolve("slot-0"))) {
                List<String> out = new ArrayList<>();
                racer.await();
                for (int i = 0; i < WRONG_EACH; i++) {
                    out.add(cliLogin(hsm, "wrong-password"));
                }
                racer.await();
                out.add("right:" + cliLogin(hsm, "user-secret-1"));
                return out;
            }
        });
        assertLimitHeld(answers, "LOCKED");
        try (CloudHsm hsm = CloudHsm.open(dir.resolve("slot-0"))) {
            assertEquals("LOCKED", cliLogin(hsm, "user-secret-1"));
        }
    }

    /**
     * A forking server's workers (or a cluster's applications) log in at the same moment with the right PIN: more
     * than the limit of attempts under way at once must not read as a lockout (CloudHSM locks after failed logins).
     */
    @Test
    void parallelRightPinsAllLogInThoughMoreThanTheLimitAreUnderWayAtOnce() throws Exception {
        new EngineFixture(dir).initialised().engine.C_Finalize();
        Map<String, AtomicInteger> answers = race(racer -> {
            Engine e = EngineFixture.started(dir);
            try {
                long s = e.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
                List<String> out = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    racer.await();
                    out.add(login(e, s, CKU.USER, "user-secret-1"));
                }
                return out;
            } finally {
                e.C_Finalize();
            }
        });
        assertEquals(RACERS * 3, answers.getOrDefault("CKR_OK", new AtomicInteger()).get(), "every right PIN logs in: " + answers);
    }

    @Test
    void attemptsUnderWayCountAsFailedUntilRightAndARightPinNeverUnlocks() {
        new EngineFixture(dir).initialised().engine.C_Finalize();
        try (SqliteTokenStore mine = SqliteTokenStore.open(dir.resolve("slot-0"));
                SqliteTokenStore theirs = SqliteTokenStore.open(dir.resolve("slot-0"))) {
            assertEquals(LoginAttempt.Outcome.STARTED, mine.beginLogin("user", CKU.USER, Token.LOCK_AFTER_FAILURES).outcome());
            for (int i = 1; i < Token.LOCK_AFTER_FAILURES; i++) {
                assertEquals(LoginAttempt.Outcome.STARTED, theirs.beginLogin("user", CKU.USER, Token.LOCK_AFTER_FAILURES).outcome());
            }
            assertEquals(LoginAttempt.Outcome.LOCKED, theirs.beginLogin("user", CKU.USER, Token.LOCK_AFTER_FAILURES).outcome(),
                    "no attempt starts while the limit is under way");
            assertTrue(mine.loginSucceeded("user"), "the right PIN settles first: the count clears");
            for (int i = 1; i < Token.LOCK_AFTER_FAILURES; i++) {
                assertFalse(theirs.loginFailed("user", Token.LOCK_AFTER_FAILURES), "failures settled after a success do not lock");
            }
            assertEquals(0, theirs.user("user").orElseThrow().failedLogins());

            for (int i = 0; i < Token.LOCK_AFTER_FAILURES; i++) {
                assertEquals(LoginAttempt.Outcome.STARTED, theirs.beginLogin("user", CKU.USER, Token.LOCK_AFTER_FAILURES).outcome());
            }
            assertTrue(theirs.loginFailed("user", Token.LOCK_AFTER_FAILURES));
            assertFalse(mine.loginSucceeded("user"), "a right PIN never unlocks a locked user");
            assertTrue(mine.user("user").orElseThrow().locked());
            assertFalse(mine.changeVerifier("user", new byte[] {1}, false), "nor does changing one's own PIN");
            assertTrue(mine.changeVerifier("user", new byte[] {1}, true), "an administrator's reset does");
            assertFalse(mine.user("user").orElseThrow().locked());
        }
    }

    @Test
    void anAttemptCutShortStaysCountedAsFailed() {
        new EngineFixture(dir).initialised().engine.C_Finalize();
        try (SqliteTokenStore killed = SqliteTokenStore.open(dir.resolve("slot-0"))) {
            killed.beginLogin("user", CKU.USER, Token.LOCK_AFTER_FAILURES);
        }
        Engine e = EngineFixture.started(dir);
        assertTrue((e.C_GetTokenInfo(0).flags() & CKF.USER_PIN_COUNT_LOW) != 0);
    }

    @Test
    void tokenInfoFlagsFollowTheSoCounter() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.rwSession();
        assertEquals(0, f.engine.C_GetTokenInfo(0).flags() & (CKF.SO_PIN_COUNT_LOW | CKF.SO_PIN_FINAL_TRY | CKF.SO_PIN_LOCKED));
        assertRv(CKR.PIN_INCORRECT, () -> f.engine.C_Login(s, CKU.SO, bytes("wrong-pin")));
        assertEquals(CKF.SO_PIN_COUNT_LOW, f.engine.C_GetTokenInfo(0).flags() & (CKF.SO_PIN_COUNT_LOW | CKF.SO_PIN_FINAL_TRY | CKF.SO_PIN_LOCKED));
        for (int i = 2; i < Token.LOCK_AFTER_FAILURES; i++) {
            assertRv(CKR.PIN_INCORRECT, () -> f.engine.C_Login(s, CKU.SO, bytes("wrong-pin")));
        }
        assertEquals(CKF.SO_PIN_COUNT_LOW | CKF.SO_PIN_FINAL_TRY,
                f.engine.C_GetTokenInfo(0).flags() & (CKF.SO_PIN_COUNT_LOW | CKF.SO_PIN_FINAL_TRY | CKF.SO_PIN_LOCKED));
        assertEquals(0, f.engine.C_GetTokenInfo(0).flags() & (CKF.USER_PIN_COUNT_LOW | CKF.USER_PIN_LOCKED), "the user is untouched");
        assertRv(CKR.PIN_LOCKED, () -> f.engine.C_Login(s, CKU.SO, bytes("wrong-pin")));
        assertEquals(CKF.SO_PIN_COUNT_LOW | CKF.SO_PIN_LOCKED,
                f.engine.C_GetTokenInfo(0).flags() & (CKF.SO_PIN_COUNT_LOW | CKF.SO_PIN_FINAL_TRY | CKF.SO_PIN_LOCKED));
    }

    @Test
    void aSuccessfulLoginClearsTheCountLowFlag() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.rwSession();
        assertRv(CKR.PIN_INCORRECT, () -> f.engine.C_Login(s, CKU.USER, bytes("wrong-pin")));
        assertTrue((f.engine.C_GetTokenInfo(0).flags() & CKF.USER_PIN_COUNT_LOW) != 0);
        f.engine.C_Login(s, CKU.USER, EngineFixture.USER_PIN);
        assertEquals(0, f.engine.C_GetTokenInfo(0).flags() & (CKF.USER_PIN_COUNT_LOW | CKF.USER_PIN_FINAL_TRY));
    }

    /** Races PKCS#11 logins in role {@code role}; {@code lockedFlag} (if not 0) must show in C_GetTokenInfo after. */
    private void assertLockoutHolds(long role, String rightPin, long lockedFlag) throws Exception {
        String user = rightPin.contains(":") ? rightPin.substring(0, rightPin.indexOf(':') + 1) : "";
        Map<String, AtomicInteger> answers = race(racer -> {
            Engine e = EngineFixture.started(dir);
            try {
                long s = e.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
                List<String> out = new ArrayList<>();
                racer.await();
                for (int i = 0; i < WRONG_EACH; i++) {
                    out.add(login(e, s, role, user + "wrong-pin-" + i));
                }
                racer.await();
                out.add("right:" + login(e, s, role, rightPin));
                return out;
            } finally {
                e.C_Finalize();
            }
        });
        assertLimitHeld(answers, "CKR_PIN_LOCKED");
        Engine after = EngineFixture.started(dir);
        try {
            assertEquals("CKR_PIN_LOCKED", login(after, after.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION), role, rightPin));
            if (lockedFlag != 0) {
                assertTrue((after.C_GetTokenInfo(0).flags() & lockedFlag) != 0, "C_GetTokenInfo shows the lock");
            }
        } finally {
            after.C_Finalize();
        }
    }

    /** At most LOCK_AFTER_FAILURES - 1 wrong PINs were told PIN_INCORRECT (the one reaching it is told LOCKED), no right PIN got in. */
    private static void assertLimitHeld(Map<String, AtomicInteger> answers, String locked) {
        int incorrect = answers.getOrDefault(locked.equals("LOCKED") ? "NOT_AUTHENTICATED" : "CKR_PIN_INCORRECT", new AtomicInteger()).get();
        assertTrue(incorrect <= Token.LOCK_AFTER_FAILURES - 1, "wrong PINs answered as incorrect: " + incorrect + " " + answers);
        assertEquals(RACERS, answers.getOrDefault("right:" + locked, new AtomicInteger()).get(),
                "every right PIN after the race is refused as locked: " + answers);
        assertEquals(RACERS * (WRONG_EACH + 1), answers.values().stream().mapToInt(AtomicInteger::get).sum(), answers.toString());
    }

    private static String login(Engine e, long s, long role, String pin) {
        try {
            e.C_Login(s, role, bytes(pin));
            e.C_Logout(s);
            return "CKR_OK";
        } catch (CkException x) {
            return CKR.name(x.rv());
        }
    }

    private static String cliLogin(CloudHsm hsm, String password) {
        try {
            hsm.login("user", Role.CRYPTO_USER, password);
            return "OK";
        } catch (HsmException x) {
            return x.code().name();
        }
    }

    interface Racer {
        List<String> run(CyclicBarrier racer) throws Exception;
    }

    /** Runs RACERS racers, each with the same barrier, and counts their answers (bounded: a stuck racer fails the test). */
    private static Map<String, AtomicInteger> race(Racer body) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(RACERS);
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                futures.add(pool.submit(() -> body.run(barrier)));
            }
            for (Future<List<String>> f : futures) {
                for (String answer : f.get(120, TimeUnit.SECONDS)) {
                    answers.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return answers;
    }
}
