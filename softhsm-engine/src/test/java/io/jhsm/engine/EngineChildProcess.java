package io.jhsm.engine;

import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.config.Config;
import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Another process with its own engine on the same token directory, spawned by the tests:
 * {@code DIR PIN destroy|disable-encrypt|unshare HANDLE} logs in as the crypto user PIN names, does that one
 * change to the token object HANDLE and exits (0 on success; the exception otherwise).
 */
public final class EngineChildProcess {

    public static void main(String[] args) {
        Engine e = new Engine(new Config(Path.of(args[0]), 1));
        e.C_Initialize(InitializeArgs.NONE);
        long s = e.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        e.C_Login(s, CKU.USER, args[1].getBytes(StandardCharsets.UTF_8));
        long handle = Long.parseLong(args[3]);
        switch (args[2]) {
            case "destroy" -> e.C_DestroyObject(s, handle);
            case "disable-encrypt" -> e.C_SetAttributeValue(s, handle, List.of(Attribute.of(CKA.ENCRYPT, false)));
            case "unshare" -> e.C_SetAttributeValue(s, handle,
                    List.of(Attribute.of(JhsmAttributes.SHARED_WITH, KeyPolicy.encode(Set.of()))));
            default -> throw new IllegalArgumentException(args[2]);
        }
        e.C_Finalize();
    }

    /** Runs this class in a new JVM with the test class path and waits (bounded) for it to finish; true if it succeeded. */
    static boolean run(String... args) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classPath, EngineChildProcess.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }
}
