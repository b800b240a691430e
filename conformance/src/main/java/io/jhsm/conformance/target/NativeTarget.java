package io.jhsm.conformance.target;

import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.conformance.abi.NativeCryptoki;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A module loaded as a shared object and called through its function table. The factories write the
 * module's configuration file at the path its environment variable already names, because both
 * jhsm and SoftHSM read that variable at C_Initialize and a running JVM cannot change its environment.
 */
public final class NativeTarget implements Target {
    private final String name;
    private final NativeCryptoki p;
    private final long slot;
    private final byte[] userPin;
    private final byte[] soPin;
    private final Map<String, String> childEnvironment;

    public NativeTarget(String name, String modulePath, Long slot, String label, byte[] userPin, byte[] soPin,
                        Map<String, String> childEnvironment) {
        this.name = name;
        this.p = new NativeCryptoki(FunctionList.load(modulePath));
        this.userPin = userPin;
        this.soPin = soPin;
        this.childEnvironment = childEnvironment;
        try {
            // CKF_OS_LOCKING_OK: SoftHSM disables its locks when C_Initialize gets NULL, and the
            // concurrency rules call from several threads.
            p.C_Initialize(new InitializeArgs(CKF.OS_LOCKING_OK, false, false));
        } catch (CkException e) {
            if (e.rv() != CKR.CRYPTOKI_ALREADY_INITIALIZED) {
                throw e;
            }
        }
        if (label != null) {
            this.slot = TokenSetup.initialise(p, slot == null ? TokenSetup.firstUninitialised(p) : slot, label, soPin, userPin);
        } else {
            this.slot = slot == null ? TokenSetup.firstInitialised(p) : slot;
        }
    }

    /** The already initialised token labelled {@code label}, as a child process opens its parent's token. */
    public static NativeTarget existing(String modulePath, String label, byte[] userPin, byte[] soPin) {
        NativeTarget t = new NativeTarget("module " + Path.of(modulePath).getFileName(), modulePath, 0L, null, userPin, soPin, Map.of());
        return t.onSlot(TokenSetup.findByLabel(t.p, label));
    }

    private NativeTarget(NativeTarget t, long slot) {
        this.name = t.name;
        this.p = t.p;
        this.slot = slot;
        this.userPin = t.userPin;
        this.soPin = t.soPin;
        this.childEnvironment = t.childEnvironment;
    }

    private NativeTarget onSlot(long slot) {
        return new NativeTarget(this, slot);
    }

    /** dist/libjhsm.so over a fresh token directory named in the file $JHSM_CONF. */
    public static NativeTarget jhsm(Path library) {
        return jhsm(library, "");
    }

    /** As above, with more configuration lines (e.g. {@code key-policy = strict}). */
    public static NativeTarget jhsm(Path library, String extraConfiguration) {
        Path conf = Path.of(requireEnv("JHSM_CONF"));
        Path dir = freshDirectory(conf);
        write(conf, "directory = " + dir + "\nslots = 1\n" + extraConfiguration);
        return new NativeTarget("jhsm shared object", library.toString(), 0L, "conformance", TokenSetup.USER_PIN,
                TokenSetup.SO_PIN, Map.of("JHSM_CONF", conf.toString()));
    }

    /** SoftHSMv2 over a fresh token directory named in the file $SOFTHSM2_CONF. */
    public static NativeTarget softHsm(Path library) {
        Path conf = Path.of(requireEnv("SOFTHSM2_CONF"));
        Path dir = freshDirectory(conf);
        write(conf, "directories.tokendir = " + dir + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        return new NativeTarget("SoftHSMv2", library.toString(), null, "conformance", TokenSetup.USER_PIN,
                TokenSetup.SO_PIN, Map.of("SOFTHSM2_CONF", conf.toString()));
    }

    private static String requireEnv(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " must name a (writable) configuration file before the JVM starts");
        }
        return v;
    }

    private static Path freshDirectory(Path conf) {
        try {
            Files.createDirectories(conf.toAbsolutePath().getParent());
            return Files.createTempDirectory(conf.toAbsolutePath().getParent(), "token-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public String name() { return name; }
    @Override public Cryptoki cryptoki() { return p; }
    @Override public long slot() { return slot; }
    @Override public byte[] userPin() { return userPin; }
    @Override public byte[] soPin() { return soPin; }
    @Override public FunctionList functions() { return p.functions(); }
    @Override public Map<String, String> childEnvironment() { return childEnvironment; }

    @Override
    public void close() {
        try {
            p.C_Finalize();
        } catch (CkException e) {
            // Already finalised by a rule that cycles C_Finalize/C_Initialize: nothing left to release.
        }
    }
}
