package io.jhsm.engine;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of tests that work in one logged-in read/write user session on a fresh token. */
abstract class LoggedInEngineTest {
    @TempDir
    Path dir;
    EngineFixture f;
    long s;

    @BeforeEach
    void openUserSession() {
        f = new EngineFixture(dir).initialised();
        s = f.userSession();
    }
}
