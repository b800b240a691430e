package io.jhsm.bridge;

import io.jhsm.client.ClientConfig;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import java.util.Map;

/**
 * The module's lifecycle as the C world sees it: C_Initialize creates a fresh engine instance and
 * initialises it, C_Finalize finalises and drops it, so a Finalize/Initialize cycle starts from a
 * clean engine while the JVM and the registered callbacks stay. Between the two every other
 * function answers CKR_CRYPTOKI_NOT_INITIALIZED without reaching an engine.
 *
 * <p>The engine class is {@value #DEFAULT_ENGINE} unless the system property {@code jhsm.engine}
 * or the environment variable {@code JHSM_ENGINE} names another, or {@code JHSM_CONF} names
 * {@code hsms} (network mode), which makes it {@value #NETWORK_ENGINE}; it needs a public no-arg
 * constructor and is loaded through this class's loader, reflectively, so the bridge compiles
 * without it and in-process mode loads no network class.
 */
final class Module {
    private Module() {}

    static final String DEFAULT_ENGINE = "io.jhsm.engine.Engine";
    static final String NETWORK_ENGINE = "io.jhsm.client.RemoteCryptoki";

    private static volatile Cryptoki current;

    static Cryptoki engine() {
        Cryptoki e = current;
        if (e == null) {
            throw new CkException(CKR.CRYPTOKI_NOT_INITIALIZED);
        }
        return e;
    }

    static synchronized void initialize(InitializeArgs args) {
        if (current != null) {
            throw new CkException(CKR.CRYPTOKI_ALREADY_INITIALIZED);
        }
        Cryptoki fresh = newEngine();
        fresh.C_Initialize(args);
        current = fresh;
    }

    static synchronized void finalizeModule() {
        Cryptoki e = engine();
        current = null;
        // Dropped even if the engine's C_Finalize fails: the application may C_Initialize again.
        e.C_Finalize();
    }

    static String engineClassName() {
        return engineClassName(System.getProperty("jhsm.engine"), System.getenv());
    }

    /** An explicit choice wins; otherwise the network client when JHSM_CONF names hsms, else the engine in process. */
    static String engineClassName(String property, Map<String, String> env) {
        String name = property;
        if (name == null || name.isBlank()) {
            name = env.get("JHSM_ENGINE");
        }
        if (name != null && !name.isBlank()) {
            return name.trim();
        }
        return ClientConfig.networkMode(env) ? NETWORK_ENGINE : DEFAULT_ENGINE;
    }

    private static Cryptoki newEngine() {
        String name = engineClassName();
        try {
            Class<?> c = Class.forName(name, true, Module.class.getClassLoader());
            return (Cryptoki) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new IllegalStateException("cannot create engine " + name + ": " + e, e);
        }
    }
}
