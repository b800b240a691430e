package io.jhsm.conformance.target;

import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.engine.config.Config;
import io.jhsm.engine.Engine;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The jhsm engine called directly, over a fresh token directory: the rules without the C ABI in between. */
public final class InProcessTarget implements Target {
    private final Engine engine;
    private final long slot;

    public InProcessTarget() {
        try {
            Path dir = Files.createTempDirectory("jhsm-conformance-");
            engine = new Engine(new Config(dir, 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        engine.C_Initialize(new InitializeArgs(CKF.OS_LOCKING_OK, false, false));
        slot = TokenSetup.initialise(engine, 0, "conformance", TokenSetup.SO_PIN, TokenSetup.USER_PIN);
    }

    @Override public String name() { return "jhsm in-process"; }
    @Override public Cryptoki cryptoki() { return engine; }
    @Override public long slot() { return slot; }
    @Override public byte[] userPin() { return TokenSetup.USER_PIN; }
    @Override public byte[] soPin() { return TokenSetup.SO_PIN; }
    @Override public FunctionList functions() { return null; }

    @Override
    public void close() {
        engine.C_Finalize();
    }
}
