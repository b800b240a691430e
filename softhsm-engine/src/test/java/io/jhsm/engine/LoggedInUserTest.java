package io.jhsm.engine;

import io.jhsm.engine.object.KeyPolicyMode;
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
        f = new EngineFixture(dir, keyPolicy()).initialised();
        s = f.userSession();
    }

    /** The key policy of the token under test: the default (PKCS#11 and CloudHSM) unless a test class asks for strict. */
    KeyPolicyMode keyPolicy() {
        return KeyPolicyMode.DEFAULT;
    }
}
