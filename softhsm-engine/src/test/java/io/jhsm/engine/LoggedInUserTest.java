package io.jhsm.engine;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the tests that start from an initialised token and a read/write session with the crypto user logged in. */
abstract class LoggedInUserTest {
    @TempDir
    Path dir;
    EngineFixture f;
    long s;

    @BeforeEach
    void startWithLoggedInUser() {
        f = new EngineFixture(dir).initialised();
        s = f.userSession();
    }
}
