package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 5-failure lockout holds under parallel guessing by separate processes: src/test/c/lockout_race.c forks
 * 8 children, each loading the module, which start together, try 4 wrong PINs each, wait for one another and
 * then try the right PIN. At most 4 wrong PINs may be answered CKR_PIN_INCORRECT (the fifth locks and is told
 * CKR_PIN_LOCKED), and every right PIN after them is refused; pkcs11-tool then sees the lock too. The same
 * for the SO, a named user, and twelve {@code jhsm} CLI processes logging in at once.
 */
class LoginLockoutProcessesTest {
    private static final int PROCESSES = 8;
    private static final int WRONG_EACH = 4;
    private static final int LIMIT = 5;
    private static final String INCORRECT = "0xa0";
    private static final String LOCKED = "0xa4";

    @TempDir Path dir;
    private TokenFixture token;

    @BeforeEach
    void token() {
        // SoftHSMv2 has no lockout at all (its C_Login never answers CKR_PIN_LOCKED): nothing to race.
        assumeFalse(ModuleUnderTest.isSoftHsm(), "the module under test has no login-failure lockout");
        token = TokenFixture.initialised(dir);
    }

    @Test
    void eightProcessesGuessingTheUserPinGetAtMostTheLimitAndTheRightPinStaysLocked() throws IOException {
        assertRaceLocks("user", TokenFixture.USER_PIN);
        Cmd.Result login = token.asUser("--list-objects").run();
        assertTrue(login.exitCode() != 0 && login.output().contains("CKR_PIN_LOCKED"), login.describe());
        String info = token.pkcs11ToolAnySlot("--list-token-slots").run().assertOk("list token slots").output();
        assertTrue(info.contains("user PIN locked"), info);
    }

    @Test
    void eightProcessesGuessingTheSoPinLockTheOfficer() throws IOException {
        assertRaceLocks("so", TokenFixture.SO_PIN);
        Cmd.Result login = token.pkcs11Tool("--init-pin", "--login", "--so-pin", TokenFixture.SO_PIN,
                "--pin", "another-user-pin").run();
        assertTrue(login.exitCode() != 0 && login.output().contains("CKR_PIN_LOCKED"), login.describe());
        String info = token.pkcs11ToolAnySlot("--list-token-slots").run().assertOk("list token slots").output();
        assertTrue(info.contains("SO PIN locked"), info);
    }

    @Test
    void eightProcessesGuessingANamedUsersPasswordLockOnlyThatUser() throws IOException {
        token.pkcs11Tool("--init-pin", "--login", "--so-pin", TokenFixture.SO_PIN, "--pin", "alice:alice-secret")
                .run().assertOk("create alice");
        assertRaceLocks("user", "alice:alice-secret");
        token.asUser("--list-objects").run().assertOk("the default user is not locked");
    }

    @Test
    void twelveCliProcessesLoggingInWithAWrongPasswordAtOnceLockTheUser() throws Exception {
        String jhsm = ModuleUnderTest.path().resolveSibling("jhsm").toString();   // the CLI beside the module under test
        List<Process> cli = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                ProcessBuilder pb = new ProcessBuilder(jhsm, "key", "list", "--login", "user:wrong-guess")
                        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.environment().putAll(token.env());
                cli.add(pb.start());
            }
            Map<Integer, Integer> exits = new TreeMap<>();
            for (Process p : cli) {
                assertTrue(p.waitFor(3, TimeUnit.MINUTES), "a CLI process hung");
                exits.merge(p.exitValue(), 1, Integer::sum);
            }
            // Exit codes: 3 not authenticated (wrong password), 9 locked.
            assertEquals(12, exits.getOrDefault(3, 0) + exits.getOrDefault(9, 0), exits.toString());
            assertTrue(exits.getOrDefault(3, 0) <= LIMIT - 1, "wrong passwords answered as such: " + exits);
        } finally {
            cli.forEach(Process::destroyForcibly);
        }
        Cmd.Result right = token.cmd(jhsm, "key", "list", "--login", "user:" + TokenFixture.USER_PIN).run();
        assertEquals(9, right.exitCode(), "the right password is refused as locked:\n" + right.describe());
    }

    private void assertRaceLocks(String role, String rightPin) throws IOException {
        String wrongPin = rightPin.contains(":") ? rightPin.substring(0, rightPin.indexOf(':') + 1) + "wrong-guess" : "wrong-guess";
        Cmd.Result r = token.cmd(CPrograms.consumer("lockout_race").toString(), token.module().toString(), TokenFixture.LABEL, role, rightPin,
                wrongPin, String.valueOf(PROCESSES), String.valueOf(WRONG_EACH)).timeout(Duration.ofMinutes(4)).run();
        assertFalse(r.timedOut(), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        long incorrect = count(r, "wrong " + INCORRECT);
        long wrongLocked = count(r, "wrong " + LOCKED);
        assertEquals(PROCESSES * WRONG_EACH, incorrect + wrongLocked, "every wrong PIN is incorrect or locked:\n" + r.describe());
        assertTrue(incorrect <= LIMIT - 1, incorrect + " wrong PINs were checked and answered incorrect:\n" + r.describe());
        assertEquals(PROCESSES, count(r, "right " + LOCKED), "every right PIN after the race is refused:\n" + r.describe());
    }

    private static long count(Cmd.Result r, String line) {
        return r.output().lines().filter(line::equals).count();
    }
}
