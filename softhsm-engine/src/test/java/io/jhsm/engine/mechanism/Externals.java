package io.jhsm.engine.mechanism;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/** Runs a non-Java implementation (openssl, python3-cryptography over OpenSSL) as an independent oracle. */
public final class Externals {
    private Externals() {}

    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(60, TimeUnit.SECONDS);
            assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** AES-XTS encryption by OpenSSL through python3-cryptography (the openssl CLI's enc has no XTS). */
    public static byte[] xts(byte[] key, byte[] tweak, byte[] data) {
        String script = "import sys\nfrom cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n"
                + "k, t, d = (bytes.fromhex(a) for a in sys.argv[1:4])\n"
                + "e = Cipher(algorithms.AES(k), modes.XTS(t)).encryptor()\nprint((e.update(d) + e.finalize()).hex())\n";
        HexFormat h = HexFormat.of();
        return h.parseHex(run("python3", "-c", script, h.formatHex(key), h.formatHex(tweak), h.formatHex(data)));
    }

    /** ChaCha20 by OpenSSL through python3-cryptography; its 16-byte nonce is the 32-bit LE counter then the 96-bit nonce. */
    public static byte[] chacha20(byte[] key, byte[] opensslNonce, byte[] data) {
        String script = "import sys\nfrom cryptography.hazmat.primitives.ciphers import Cipher, algorithms\n"
                + "k, n, d = (bytes.fromhex(a) for a in sys.argv[1:4])\n"
                + "e = Cipher(algorithms.ChaCha20(k, n), mode=None).encryptor()\nprint((e.update(d) + e.finalize()).hex())\n";
        HexFormat h = HexFormat.of();
        return h.parseHex(run("python3", "-c", script, h.formatHex(key), h.formatHex(opensslNonce), h.formatHex(data)));
    }
}
