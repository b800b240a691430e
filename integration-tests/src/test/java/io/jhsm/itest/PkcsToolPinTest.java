package io.jhsm.itest;

import static io.jhsm.itest.TokenFixture.LABEL;
import static io.jhsm.itest.TokenFixture.SO_PIN;
import static io.jhsm.itest.TokenFixture.USER_PIN;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token and PIN life cycle as OpenSC's pkcs11-tool drives it. */
class PkcsToolPinTest {
    static final String NEW_PIN = "user87654321";

    @TempDir Path dir;

    @Test
    void initialisedTokenIsListedByItsLabelAndAcceptsTheUserPin() {
        TokenFixture token = TokenFixture.blank(dir);
        token.pkcs11ToolAnySlot("--init-token", "--slot", "0", "--label", LABEL, "--so-pin", SO_PIN)
                .run().assertOk("init-token");
        token.pkcs11Tool("--init-pin", "--login", "--so-pin", SO_PIN, "--pin", USER_PIN).run().assertOk("init-pin");

        token.pkcs11ToolAnySlot("--list-token-slots").run()
                .assertOk("list-token-slots")
                .assertOutputContains("token label        : " + LABEL, "the new token is listed by label")
                .assertOutputContains("PIN initialized", "the token reports its user PIN as initialised");
        token.asUser("--list-objects").run().assertOk("login with the user PIN");
    }

    @Test
    void wrongUserPinIsRefused() {
        TokenFixture token = TokenFixture.initialised(dir);
        token.pkcs11Tool("--login", "--pin", "wrong-pin-123", "--list-objects").run()
                .assertFails("login with a wrong PIN");
    }

    @Test
    void afterChangingThePinTheNewOneLogsInAndTheOldOneNoLongerDoes() {
        TokenFixture token = TokenFixture.initialised(dir);
        token.pkcs11Tool("--change-pin", "--login", "--pin", USER_PIN, "--new-pin", NEW_PIN).run()
                .assertOk("change-pin");

        token.pkcs11Tool("--login", "--pin", NEW_PIN, "--list-objects").run().assertOk("login with the new PIN");
        token.pkcs11Tool("--login", "--pin", USER_PIN, "--list-objects").run().assertFails("login with the old PIN");
    }

    @Test
    void soCanResetTheUserPin() {
        TokenFixture token = TokenFixture.initialised(dir);
        token.pkcs11Tool("--init-pin", "--login", "--login-type", "so", "--so-pin", SO_PIN, "--new-pin", NEW_PIN)
                .run().assertOk("SO sets a new user PIN");

        token.pkcs11Tool("--login", "--pin", NEW_PIN, "--list-objects").run().assertOk("login with the reset PIN");
    }
}
