package io.jhsm.engine;

import io.jhsm.engine.diag.KillPoint;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that dies between committing a change and writing its audit record, spawned by
 * AuditCompletenessTest with the kill point armed. {@code create DIR LABEL}: creates a token key;
 * {@code destroy DIR HANDLE}: destroys one; reaching the end means the kill point did not fire.
 * {@code many DIR N} (unarmed): creates and destroys N token keys, for writers running side by side.
 */
public final class AuditKillChild {

    public static void main(String[] args) {
        EngineFixture f = new EngineFixture(Path.of(args[1]));
        long s = f.userSession();
        if (args[0].equals("many")) {
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                f.engine.C_DestroyObject(s, f.aesKey(s, Attribute.of(CKA.TOKEN, true)));
            }
            System.out.println("done");
            return;
        }
        if (args[0].equals("create")) {
            f.aesKey(s, Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, args[2]));
        } else {
            f.engine.C_DestroyObject(s, Long.parseLong(args[2]));
        }
        System.out.println("the kill point did not fire");
    }

    static Process spawn(String... args) throws java.io.IOException {
        return spawn(true, args);
    }

    static Process spawn(boolean armed, String... args) throws java.io.IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-D" + KillPoint.PROPERTY + "=" + (armed ? KillPoint.AUDIT_AFTER_COMMIT : "none"),
                "-cp", classPath, AuditKillChild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
