package io.jhsm.conformance.target;

import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.engine.config.Config;
import io.jhsm.engine.Engine;
import io.jhsm.engine.profile.TokenProfile;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The jhsm engine called directly, over a fresh token directory: the rules without the C ABI in between. Under the
 * cloudhsm profile the token is initialised first under pkcs11 (CloudHSM's library has no C_InitToken/C_InitPIN; a
 * cluster is set up by its CLI), and the run has no SO PIN, as against a cluster.
 */
public final class InProcessTarget implements Target {
    private static final String LABEL = "conformance";
    private final Engine engine;
    private final long slot;
    private final TokenProfile profile;

    public InProcessTarget() {
        this(TokenProfile.PKCS11);
    }

    public InProcessTarget(TokenProfile profile) {
        this.profile = profile;
        Config config;
        try {
            config = new Config(Files.createTempDirectory("jhsm-conformance-"), 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (profile == TokenProfile.PKCS11) {
            engine = started(config);
            slot = TokenSetup.initialise(engine, 0, LABEL, TokenSetup.SO_PIN, TokenSetup.USER_PIN);
        } else {
            Engine setup = started(config.withProfile(TokenProfile.PKCS11));
            TokenSetup.initialise(setup, 0, LABEL, TokenSetup.SO_PIN, TokenSetup.USER_PIN);
            setup.C_Finalize();
            engine = started(config.withProfile(profile));
            slot = TokenSetup.findByLabel(engine, LABEL);
        }
    }

    private static Engine started(Config config) {
        Engine e = new Engine(config);
        e.C_Initialize(new InitializeArgs(CKF.OS_LOCKING_OK, false, false));
        return e;
    }

    @Override public String name() { return "jhsm in-process" + (profile == TokenProfile.PKCS11 ? "" : ", " + profile.text() + " profile"); }
    @Override public Cryptoki cryptoki() { return engine; }
    @Override public long slot() { return slot; }
    @Override public byte[] userPin() { return TokenSetup.USER_PIN; }
    @Override public byte[] soPin() { return profile == TokenProfile.PKCS11 ? TokenSetup.SO_PIN : null; }
    @Override public FunctionList functions() { return null; }

    @Override
    public void close() {
        engine.C_Finalize();
    }
}
