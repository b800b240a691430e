package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment the README recommends for servers that fork or run many processes: "p11-kit server" owns the
 * module (and its JVM), clients load only p11-kit-client.so. Several clients sign at the same time, and a
 * client that forks after loading the library signs on both sides of the fork; the JDK verifies every signature.
 */
class P11KitForkTest {
    static final String CLIENT = P11KitTest.CLIENT;
    static final String PYTHON = PyKcs11Test.PYTHON;
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);

    @TempDir static Path dir;
    static TokenFixture token;
    static Background server;
    static Path socket;
    static byte[] data;
    static PublicKey publicKey;

    @BeforeAll
    static void serverForATokenWithAnRsaKey() throws GeneralSecurityException {
        token = TokenFixture.initialised(dir);
        token.asUser("--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01").run().assertOk("RSA");
        Path der = dir.resolve("rsa.pub.der");
        token.asUser("--read-object", "--type", "pubkey", "--id", "01", "-o", der.toString()).run().assertOk("pubkey");
        publicKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Files2.read(der)));
        data = Files2.randomBytes(600);

        socket = dir.resolve("p11-kit.sock");
        server = Background.start("p11-kit server", token.cmd("p11-kit", "server", "--foreground",
                "--name", socket.toString(), "--provider", token.module().toString(),
                "pkcs11:token=" + TokenFixture.LABEL), dir.resolve("p11-kit-server.log"));
        server.awaitOutput("P11_KIT_SERVER_ADDRESS", Duration.ofSeconds(60), "p11-kit server start");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    /** A command that reaches the token only through p11-kit-client.so and the server's socket. */
    static Cmd client(String... argv) {
        return Cmd.of(argv).in(dir).env("P11_KIT_SERVER_ADDRESS", "unix:path=" + socket).timeout(CLIENT_TIMEOUT);
    }

    static boolean jdkVerifies(byte[] signature) throws GeneralSecurityException {
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(publicKey);
        v.update(data);
        return v.verify(signature);
    }

    @Test
    void twoClientsSigningAtTheSameTimeBothGetValidSignatures() throws Exception {
        Path in = Files2.write(dir.resolve("concurrent.bin"), data);
        List<Process> running = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<Path> sigs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path sig = dir.resolve("concurrent-" + i + ".sig");
            Path log = dir.resolve("concurrent-" + i + ".log");
            running.add(client("pkcs11-tool", "--module", CLIENT, "--token-label", TokenFixture.LABEL,
                    "--login", "--pin", TokenFixture.USER_PIN, "--sign", "--id", "01", "--mechanism", "SHA256-RSA-PKCS",
                    "-i", in.toString(), "-o", sig.toString()).start(log));
            logs.add(log);
            sigs.add(sig);
        }
        for (int i = 0; i < 2; i++) {
            Process p = running.get(i);
            boolean done = p.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!done) p.destroyForcibly();
            String transcript = read(logs.get(i));
            assertTrue(done && p.exitValue() == 0, "concurrent client " + i + " failed"
                    + (done ? " (exit " + p.exitValue() + ")" : " (timed out)") + ":\n" + transcript
                    + "\nserver:\n" + server.output());
            assertTrue(jdkVerifies(Files2.read(sigs.get(i))), "client " + i + "'s signature verifies");
        }
    }

    @Test
    void aClientThatForksAfterLoadingTheLibrarySignsOnBothSides() throws GeneralSecurityException {
        Path script = ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/python/pykcs11_fork_sign.py");
        Cmd.Result r = client(PYTHON, script.toString(), CLIENT, TokenFixture.LABEL, TokenFixture.USER_PIN, "rsa",
                Files2.hex(data)).run();
        r.assertOk("forking PyKCS11 client (server log:\n" + server.output() + ")");
        for (String side : List.of("parent", "child")) {
            List<String> sigs = signatures(r, side);
            assertEquals(side.equals("parent") ? 4 : 3, sigs.size(), side + " signatures in:\n" + r.describe());
            for (String hex : sigs) {
                assertTrue(jdkVerifies(HexFormat.of().parseHex(hex)), side + "'s signature verifies");
            }
        }
    }

    /** The signatures the fork script printed for one side of the fork. */
    static List<String> signatures(Cmd.Result r, String side) {
        Matcher line = Pattern.compile("(?m)^\\{\"side\": \"" + side + "\", \"signatures\": \\[(.*)\\]\\}$")
                .matcher(r.output());
        if (!line.find()) throw new AssertionError("no signatures from the " + side + ":\n" + r.describe());
        List<String> out = new ArrayList<>();
        Matcher hex = Pattern.compile("\"([0-9a-f]+)\"").matcher(line.group(1));
        while (hex.find()) out.add(hex.group(1));
        return out;
    }

    static String read(Path log) {
        try {
            return java.nio.file.Files.readString(log);
        } catch (IOException e) {
            return "<no output: " + e + ">";
        }
    }
}
