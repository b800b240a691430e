package io.jhsm.cli;

import io.jhsm.engine.config.Config;
import io.jhsm.engine.Engine;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.charset.StandardCharsets;

/**
 * A PKCS#11 session on the engine, logged in as the CLI's user: key commands go through the same
 * Cryptoki calls (and so the same ownership, quorum and audit rules) as any application.
 */
final class KeySession implements AutoCloseable {
    final Engine engine;
    final long session;

    KeySession(Config config, int slot, String user, String password, boolean admin) {
        engine = new Engine(config);
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
