package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim boots every JVM with the class archive made for it ({@code jhsm archive --java-home}, one slot per
 * JVM beside libjhsm.so), and boots without one, silently, when the archive does not fit. The observable is the
 * JVM's own class-loading log ({@code -Xlog:class+load} through JHSM_JAVA_OPTS): the bridge's first class comes
 * "from shared objects file (top)", the dynamic archive, or from jhsm.jar. Each test works on a copy of
 * libjhsm.so and jhsm.jar in its own directory, so the build's dist/ is never touched.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "class archives are jhsm's")
class ClassArchivePerJvmTest {
    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final String FROM_ARCHIVE = "io.jhsm.bridge.NativeBoot source: shared objects file (top)";
    private static final String FROM_JAR = "io.jhsm.bridge.NativeBoot source: file:";

    @TempDir Path dir;
    private Path dist;
    private final Path runningJdk = Path.of(System.getProperty("java.home"));

    @BeforeEach
    void copyTheModuleAndItsJar() throws IOException {
        Path module = ModuleUnderTest.path();
        dist = Files.createDirectories(dir.resolve("dist"));
        Files.copy(module, dist.resolve("libjhsm.so"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(module.resolveSibling("jhsm.jar"), dist.resolve("jhsm.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(dir.resolve("jhsm.conf"), "directory = " + dir.resolve("tokens") + "\nslots = 1\n");
    }

    @Test
    void eachJvmBootsWithItsOwnArchiveWhenSeveralLieSideBySide() {
        List<Path> jdks = new ArrayList<>(List.of(runningJdk));
        if (Files.isExecutable(TEMURIN_25.resolve("bin/java"))) {
            jdks.add(TEMURIN_25);
        } else {
            System.out.println("ClassArchivePerJvmTest: the Temurin 25 part is skipped: no JDK at " + TEMURIN_25);
        }
        Map<Path, Path> archives = makeArchives(jdks);
        assertTrue(archives.size() == jdks.size(), "one archive per JDK, not shared: " + archives);
        for (Path jdk : jdks) {
            assertTrue(bootLog(jdk).contains(FROM_ARCHIVE), jdk + " boots the bridge from its archive");
        }
    }

    @Test
    void anArchiveWhoseStampNamesAnotherJvmIsNotOffered() throws IOException {
        Path archive = makeArchives(List.of(runningJdk)).get(runningJdk);
        Path stamp = Path.of(archive + ".jvm");
        String[] fields = Files.readString(stamp).strip().split(" ");
        Files.writeString(stamp, fields[0] + " " + (Long.parseLong(fields[1]) + 1) + " " + fields[2] + "\n");
        assertTrue(bootLog(runningJdk).contains(FROM_JAR), "another libjvm.so's archive is left alone");
    }

    @Test
    void anArchiveTheJvmRefusesAfterARebuiltJarIsDroppedSilently() throws IOException {
        makeArchives(List.of(runningJdk));
        // The stamp still matches the JVM; the JVM itself refuses the archive, whose jhsm.jar has changed.
        Files.setLastModifiedTime(dist.resolve("jhsm.jar"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertTrue(bootLog(runningJdk).contains(FROM_JAR), "a stale archive is refused");
    }

    @Test
    void aTornArchiveIsDroppedSilently() throws IOException {
        Path archive = makeArchives(List.of(runningJdk)).get(runningJdk);
        Files.write(archive, Arrays.copyOf(Files.readAllBytes(archive), 4096));
        assertTrue(bootLog(runningJdk).contains(FROM_JAR), "a truncated archive is refused");
    }

    @Test
    void anUnreadableStampMeansNoArchive() throws IOException {
        Path archive = makeArchives(List.of(runningJdk)).get(runningJdk);
        Files.writeString(Path.of(archive + ".jvm"), "\u0000 not a stamp");
        assertTrue(bootLog(runningJdk).contains(FROM_JAR), "a valid archive without its stamp is not offered");
    }

    @Test
    void anotherJvmsArchiveUnderThisJvmsStampIsDroppedSilently() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(TEMURIN_25.resolve("bin/java")),
                "skipped: no Temurin 25 at " + TEMURIN_25 + " to make a foreign archive with");
        Map<Path, Path> archives = makeArchives(List.of(runningJdk, TEMURIN_25));
        Files.copy(archives.get(TEMURIN_25), archives.get(runningJdk), StandardCopyOption.REPLACE_EXISTING);
        assertTrue(bootLog(runningJdk).contains(FROM_JAR), "Temurin 25's archive is refused by " + runningJdk);
    }

    /** Runs `jhsm archive` (ClassArchiveSlot from the copied jar) and returns each JDK's archive by what it printed. */
    private Map<Path, Path> makeArchives(List<Path> jdks) {
        List<String> argv = new ArrayList<>(List.of(runningJdk.resolve("bin/java").toString(), "-cp",
                dist.resolve("jhsm.jar").toString(), "io.jhsm.conformance.abi.ClassArchiveSlot", dist.toString()));
        for (Path jdk : jdks) {
            argv.addAll(List.of("--java-home", jdk.toString()));
        }
        String out = Cmd.of(argv).run().assertOk("jhsm archive").output();
        Matcher m = Pattern.compile("(\\S+/jhsm-[0-9a-f]{16}\\.jsa): class archive for (\\S+) ").matcher(out);
        Map<Path, Path> archives = new HashMap<>();
        while (m.find()) {
            for (Path jdk : jdks) {
                if (realPath(jdk).toString().equals(m.group(2))) {
                    archives.put(jdk, Path.of(m.group(1)));
                }
            }
        }
        assertTrue(archives.keySet().containsAll(jdks), "an archive for every JDK in:\n" + out);
        return archives;
    }

    /**
     * Loads the copied module into pkcs11-tool on {@code jdk}, checks it works and printed nothing of the JVM's
     * class-data-sharing messages, and returns the JVM's class-loading log.
     */
    private String bootLog(Path jdk) {
        Path log = dir.resolve("class-load.log");
        try {
            Files.deleteIfExists(log);
            Cmd.of("pkcs11-tool", "--module", dist.resolve("libjhsm.so").toString(), "--show-info", "--list-mechanisms")
                    .env(Map.of("JAVA_HOME", jdk.toString(), "JHSM_JAVA_HOME", jdk.toString(),
                            "JHSM_CONF", dir.resolve("jhsm.conf").toString(),
                            "JHSM_JAVA_OPTS", "-Xlog:class+load=info:file=" + log))
                    .run().assertOk("pkcs11-tool on " + jdk)
                    .assertOutputContains("jhsm simulated HSM", "C_GetInfo answered")
                    .assertOutputContains("AES-GCM", "C_GetMechanismList answered")
                    .assertOutputLacks("[cds", "the JVM's class-sharing messages stay off the host's output");
            return Files.readString(log);
        } catch (IOException e) {
            throw new AssertionError("no class-loading log from " + jdk, e);
        }
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
