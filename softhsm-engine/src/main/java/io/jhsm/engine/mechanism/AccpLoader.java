package io.jhsm.engine.mechanism;

import io.jhsm.engine.diag.ProblemLog;
import java.lang.reflect.Method;
import java.security.Provider;

/**
 * Loads ACCP once for {@link CryptoBackend}, or says in one log line why the portable code runs instead.
 *
 * <p>A forced {@code JHSM_CRYPTO=accp} that cannot load still runs the portable code (the module keeps working,
 * correct and slower) and says so at ERROR, which the default log level shows; {@code jhsm version} names the
 * backend. Refusing every cryptographic call instead would turn a packaging problem into an outage.
 */
final class AccpLoader {
    static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private AccpLoader() {}

    /** ACCP's provider, or the reason it cannot be used; lets tests stand in for a library that does not load. */
    interface Source {
        Provider provider() throws Throwable;
    }

    /** Where the one line goes: {@link ProblemLog#log} in the module. */
    interface Log {
        void log(ProblemLog.Level level, String where, String message);
    }

    static CryptoBackend.State load(CryptoBackend.Choice choice) {
        return load(choice, nativeAccessRefused(), AccpLoader::instance, ProblemLog.get()::log);
    }

    /**
     * @param nativeAccessRefused why loading a native library would print JDK 24+'s "restricted method"
     *     warning on the host's stderr (or fail), or null when it may load
     */
    static CryptoBackend.State load(CryptoBackend.Choice choice, String nativeAccessRefused, Source source, Log log) {
        if (choice == CryptoBackend.Choice.PORTABLE) {
            String description = "portable (Bouncy Castle and the JDK; " + CryptoBackend.ENV + "=portable)";
            log.log(ProblemLog.Level.INFO, "crypto backend", description + " runs the heavy primitives");
            return new CryptoBackend.State(null, description);
        }
        if (nativeAccessRefused != null) {
            // Not a problem of the host's making worth a warning: the host chose not to enable native access.
            String line = "ACCP (AWS-LC) not loaded: " + nativeAccessRefused + "; the portable Bouncy Castle/JDK code runs instead"
                    + (choice == CryptoBackend.Choice.ACCP ? " (" + CryptoBackend.ENV + "=accp asked for it)" : "");
            log.log(choice == CryptoBackend.Choice.ACCP ? ProblemLog.Level.ERROR : ProblemLog.Level.INFO, "crypto backend", line);
            return new CryptoBackend.State(null, "portable (" + line + ")");
        }
        String why;
        try {
            Provider accp = source.provider();
            String description = "accp " + accp.getVersionStr() + " (" + awsLcVersion(accp) + ")";
            log.log(ProblemLog.Level.INFO, "crypto backend", description + " runs the heavy primitives");
            return new CryptoBackend.State(accp, description);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // ACCP keeps its loading error as a Throwable: UnsatisfiedLinkError, a self-test failure …
            why = e.toString();
        }
        String line = "ACCP (AWS-LC) could not load: " + why + "; the portable Bouncy Castle/JDK code runs instead, correct but slower"
                + (choice == CryptoBackend.Choice.ACCP ? " (" + CryptoBackend.ENV + "=accp asked for it)" : "");
        log.log(choice == CryptoBackend.Choice.ACCP ? ProblemLog.Level.ERROR : ProblemLog.Level.WARN, "crypto backend", line);
        return new CryptoBackend.State(null, "portable (" + line + ")");
    }

    /** ACCP's instance when its native library loaded; its loading error otherwise. */
    private static Provider instance() throws Throwable {
        com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp =
                com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
        Throwable error = accp.getLoadingError();
        if (error != null) {
            throw error;
        }
        return accp;
    }

    private static String awsLcVersion(Provider p) {
        return p instanceof com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp ? accp.getAwsLcVersionStr() : "AWS-LC";
    }

    /**
     * JDK 24+ (JEP 472) warns on stderr, or refuses under --illegal-native-access=deny, when code in a module
     * without native access loads a JNI library. The shim's own JVM and the {@code jhsm} script enable it for
     * ALL-UNNAMED; a host JVM (SunPKCS11 in an application, libjhsm.so attached to it) usually does not, and
     * jhsm must print nothing there. ACCP's classes are looked up without initialising them, so nothing loads.
     */
    static String nativeAccessRefused() {
        if (Runtime.version().feature() < 24) {
            return null;
        }
        try {
            Class<?> accp = Class.forName(ACCP_CLASS, false, AccpLoader.class.getClassLoader());
            return nativeAccessRefused(accp.getModule());
        } catch (ClassNotFoundException | LinkageError e) {
            return null; // load() then reports the missing class itself
        }
    }

    /** Module.isNativeAccessEnabled() is JDK 22+ API; jhsm compiles for 17, so it is called by reflection. */
    static String nativeAccessRefused(Module module) {
        try {
            Method enabled = Module.class.getMethod("isNativeAccessEnabled");
            if ((Boolean) enabled.invoke(module)) {
                return null;
            }
            return "native access is not enabled for " + (module.isNamed() ? "module " + module.getName() : "jhsm's unnamed module")
                    + " in this JVM (start it with --enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED") + ")";
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
