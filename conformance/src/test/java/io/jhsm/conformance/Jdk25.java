package io.jhsm.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/resources/jdk25/Jdk25Pqc.java on Temurin 25, whose SUN and SunJCE providers
 * implement ML-DSA and ML-KEM independently of Bouncy Castle: the cross-check for jhsm's
 * post-quantum mechanisms. Values travel as hex arguments and output lines.
 */
final class Jdk25 {
    static final Path JAVA = Path.of(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
    static final Path PROGRAM = Path.of("src/test/resources/jdk25/Jdk25Pqc.java").toAbsolutePath();
    static final HexFormat HEX = HexFormat.of();

    private Jdk25() {}

    static boolean available() {
        return Files.isExecutable(JAVA);
    }

    /** The program's output lines, as bytes; arguments that are byte arrays go as hex. */
    static List<byte[]> run(Object... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), PROGRAM.toString()));
        for (Object a : args) {
            command.add(a instanceof byte[] b ? HEX.formatHex(b) : a.toString());
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "JDK 25 helper hung");
        assertEquals(0, p.exitValue(), "JDK 25 helper failed: " + out);
        List<byte[]> lines = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            lines.add(line.equals("VALID") || line.equals("INVALID") ? line.getBytes(StandardCharsets.US_ASCII) : HEX.parseHex(line.strip()));
        }
        return lines;
    }
}
