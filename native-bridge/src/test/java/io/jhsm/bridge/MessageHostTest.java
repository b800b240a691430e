package io.jhsm.bridge;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the real engine: a C program (src/test/c/message_host.c) encrypts a message through
 * libjhsm.so's C_EncryptMessage with a token-generated IV and decrypts it again; the IV, tag and
 * ciphertext it prints are checked here against the JDK's AES-GCM, an implementation independent of
 * the engine's path through the bridge.
 */
class MessageHostTest {
    static final Path WORK = Path.of("target/message-host").toAbsolutePath();

    @TempDir
    Path tokens;

    @Test
    void gcmMessageThroughTheCAbiMatchesTheJdk() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/include/p11-kit-1/p11-kit/pkcs11.h")), "p11-kit headers needed for the C host");
        Files.createDirectories(WORK);
        Path lib = WORK.resolve("libjhsm.so");
        Path host = WORK.resolve("message_host");
        Files.copy(ModuleClient.DIST.resolve("libjhsm.so"), lib, StandardCopyOption.REPLACE_EXISTING);
        Process cc = new ProcessBuilder("gcc", "-O2", "-Wall", "-I/usr/include/p11-kit-1", "-o", host.toString(),
                "src/test/c/message_host.c", "-ldl").inheritIO().start();
        assertEquals(0, cc.waitFor());

        Path conf = tokens.resolve("jhsm.conf");
        Files.writeString(conf, "directory = " + tokens.resolve("data") + "\nslots = 1\n");
        ProcessBuilder pb = new ProcessBuilder(host.toString(), lib.toString()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JHSM_ENGINE", "io.jhsm.engine.Engine");
        pb.environment().put("JHSM_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JHSM_CONF", conf.toString());
        pb.environment().remove("JHSM_JAVA_HOME");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "message host hung");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("jhsm message host:\n" + out.indent(2));
        assertEquals(0, p.exitValue(), out);

        Map<String, String> v = new HashMap<>();
        out.lines().map(l -> l.split(" ", 2)).filter(kv -> kv.length == 2).forEach(kv -> v.put(kv[0], kv[1]));
        HexFormat hex = HexFormat.of();
        byte[] key = hex.parseHex(v.get("KEY"));
        byte[] iv = hex.parseHex(v.get("IV"));
        byte[] tag = hex.parseHex(v.get("TAG"));
        byte[] ct = hex.parseHex(v.get("CIPHERTEXT"));
        byte[] text = hex.parseHex(v.get("PLAINTEXT"));
        assertEquals("cafe", v.get("IV").substring(0, 4), "the caller's 16 fixed bits stay");
        assertNotEquals("cafe" + "0".repeat(20), v.get("IV"), "the token generated the rest");
        assertEquals(String.valueOf(text.length), v.get("LENGTH_QUERY"));

        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        jdk.updateAAD(hex.parseHex(v.get("AAD")));
        byte[] expected = jdk.doFinal(text);
        assertEquals(hex.formatHex(expected), v.get("CIPHERTEXT") + v.get("TAG"));
        assertEquals(ct.length + tag.length, expected.length);
        assertEquals("ok", v.get("ROUNDTRIP"));
        assertEquals("refused", v.get("BAD_TAG"));
        assertTrue(out.lines().anyMatch("DONE"::equals), out);
    }
}
