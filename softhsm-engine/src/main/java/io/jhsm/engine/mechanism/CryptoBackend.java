package io.jhsm.engine.mechanism;

import java.security.Provider;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which code runs the heavy primitives: AWS-LC through the Amazon Corretto Crypto Provider (ACCP), or the
 * portable Bouncy Castle / JDK code that runs everywhere.
 *
 * <p>ACCP is used as a provider <em>object</em> ({@code getInstance(alg, provider)}) and never inserted into
 * the JVM's provider list: inside a host JVM (SunPKCS11, an application) jhsm must not change the
 * application's own cryptography. Loading it extracts and links a native library (tens to hundreds of ms),
 * so nothing here runs at class load: {@link #accp()} loads on first use, and {@link #preload()} lets the
 * module start loading in the background when a consumer's first calls do not need it.
 *
 * <p>{@code JHSM_CRYPTO} (environment) or {@code -Djhsm.crypto} (system property, wins) = {@code accp},
 * {@code portable} or {@code auto} (the default: ACCP where it loads, else portable). A mechanism asks
 * {@link #accp()} and uses the portable code when it is empty.
 */
public final class CryptoBackend {
    public static final String ENV = "JHSM_CRYPTO";
    public static final String PROPERTY = "jhsm.crypto";

    /** What the configuration asks for. */
    public enum Choice { AUTO, ACCP, PORTABLE }

    private static final AtomicBoolean PRELOADING = new AtomicBoolean();

    private CryptoBackend() {}

    /** ACCP's provider object when the heavy primitives run on AWS-LC; empty when the portable code runs. */
    public static Optional<Provider> accp() {
        return Optional.ofNullable(Loaded.STATE.provider());
    }

    /** One line for logs and {@code jhsm version}: the backend in use, its version, or why ACCP is not used. */
    public static String describe() {
        return Loaded.STATE.description();
    }

    /** ACCP's switch for loading its library from java.library.path instead of extracting the copy in its jar. */
    static final String ACCP_EXTERNAL_LIBRARY = "com.amazon.corretto.crypto.provider.useExternalLib";

    /**
     * Starts loading the backend on a daemon thread (once per process), so the first cryptographic call does not
     * wait for it. Only where ACCP loads its library from disk (the shim and the {@code jhsm} launcher set
     * {@value #ACCP_EXTERNAL_LIBRARY} when dist/ has it): extracting the jar's copy into a temporary file, a
     * process that exits meanwhile, as short-lived consumers do, leaves the file behind. Elsewhere (a host JVM)
     * ACCP loads at the first call that needs it.
     */
    public static void preload() {
        if (!Boolean.getBoolean(ACCP_EXTERNAL_LIBRARY) || PRELOADING.getAndSet(true)) {
            return;
        }
        Thread t = new Thread(CryptoBackend::describe, "jhsm-crypto-preload");
        t.setDaemon(true);
        t.start();
    }

    /** The configured choice; an unknown word is AUTO, named in the description. */
    static Choice configured() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(ENV);
        }
        if (v == null || v.isBlank()) {
            return Choice.AUTO;
        }
        try {
            return Choice.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return Choice.AUTO;
        }
    }

    /** The loaded state: provider (null when portable) and a description. */
    record State(Provider provider, String description) {}

    /** Holder idiom: the JVM runs {@link AccpLoader#load} once, on first use, thread-safely. */
    private static final class Loaded {
        static final State STATE = AccpLoader.load(configured());
    }
}
