package io.jhsm.engine.function;

import io.jhsm.engine.config.Config;
import io.jhsm.engine.mechanism.CryptoBackend;
import io.jhsm.engine.mechanism.registry.MechanismRegistry;
import io.jhsm.engine.profile.CloudHsmFunctions;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;

/**
 * C_Initialize, C_Finalize and C_WaitForSlotEvent: the function families exist from one to the
 * other; outside, every call gets CKR_CRYPTOKI_NOT_INITIALIZED.
 */
public final class ModuleLifecycle {
    private final Object lifecycle = new Object();
    private final Config fixedConfig;
    private volatile Functions calls;

    /** {@code fixedConfig} null: read {@code JHSM_CONF} at each C_Initialize. */
    public ModuleLifecycle(Config fixedConfig) {
        this.fixedConfig = fixedConfig;
    }

    /** The families of the current initialisation. */
    public Functions current() {
        Functions c = calls;
        if (c == null) {
            throw new CkException(CKR.CRYPTOKI_NOT_INITIALIZED);
        }
        return c;
    }

    public void initialize(InitializeArgs args) {
        if (args != null && args.reservedNonNull()) {
            throw new CkException(CKR.ARGUMENTS_BAD, "pReserved must be NULL");
        }
        synchronized (lifecycle) {
            if (calls != null) {
                throw new CkException(CKR.CRYPTOKI_ALREADY_INITIALIZED);
            }
            Config config = fixedConfig != null ? fixedConfig : Config.fromEnvironment();
            calls = Functions.of(new ModuleState(config, MechanismRegistry.of(config.legacyAlgorithms())));
        }
        // ACCP links a 9.6 MB library (hundreds of ms): never on C_Initialize's path, but started now so the
        // first signature usually finds it ready.
        CryptoBackend.preload();
    }

    public void finish() {
        synchronized (lifecycle) {
            Functions c = current();
            calls = null;
            c.state().shutdown();
            c.audit().close();
            lifecycle.notifyAll();
        }
    }

    /** There are no removable tokens, so no slot event ever happens; a blocking wait ends with C_Finalize. */
    public long waitForSlotEvent(long flags) {
        CloudHsmFunctions.requireModule(current().state().config.profile(), "C_WaitForSlotEvent");
        if ((flags & CKF.DONT_BLOCK) != 0) {
            throw new CkException(CKR.NO_EVENT);
        }
        synchronized (lifecycle) {
            while (calls != null) {
                try {
                    lifecycle.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new CkException(CKR.CRYPTOKI_NOT_INITIALIZED);
    }
}
