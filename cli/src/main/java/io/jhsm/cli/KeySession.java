package io.jhsm.cli;

import io.jhsm.engine.config.Config;
import io.jhsm.engine.Engine;
import io.jhsm.engine.profile.TokenProfile;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.charset.StandardCharsets;

/**
 * A PKCS#11 session on the engine, logged in as the CLI's user: key commands go through the same
 * Cryptoki calls (and so the same ownership, quorum and audit rules) as any application. The CLI is
 * CloudHSM's management path, not its PKCS#11 library, so it sees every token under the pkcs11 profile
 * (on CloudHSM too, attributes change through the CLI's key set-attribute, not C_SetAttributeValue).
 */
final class KeySession implements AutoCloseable {
    final Engine engine;
    final long session;

    KeySession(Config config, int slot, String user, String password, boolean admin) {
        engine = new Engine(config.withProfile(TokenProfile.PKCS11));
        engine.C_Initialize(InitializeArgs.NONE);
        try {
            session = engine.C_OpenSession(slot, CKF.SERIAL_SESSION | CKF.RW_SESSION);
            engine.C_Login(session, admin ? CKU.SO : CKU.USER, (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            engine.C_Finalize();
            throw e;
        }
    }

    @Override
    public void close() {
        engine.C_Finalize();
    }
}
