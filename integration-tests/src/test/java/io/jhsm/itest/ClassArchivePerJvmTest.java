package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shim boots every JVM with the archive made for it ({@code jhsm archive --java-home}, one slot per JVM beside
 * libjhsm.so: a class archive on JDK 17–24, an AOT cache on JDK 25+), and boots without one, silently, when the
 * archive does not fit. The observable is the JVM's own class-loading log ({@code -Xlog:class+load} through
 * JHSM_JAVA_OPTS): the bridge's first class comes "from shared objects file", the archive, or from
 * jhsm-module.jar. Each test works on a copy of libjhsm.so and the jars in its own directory, so the build's dist/
 * is never touched. The JDK-parameterised tests run on the JDK running the tests and on Temurin 25 when present.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "class archives are jhsm's")
class ClassArchivePerJvmTest {
    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final Path RUNNING_JDK = Path.of(System.getProperty("java.home"));
    private static final String FROM_ARCHIVE = "io.jhsm.bridge.NativeBoot source: shared objects file";

    @TempDir Path dir;
    private Path dist;

    static Stream<Path> jdks() {
        if (Files.isExecutable(TEMURIN_25.resolve("bin/java"))) {
            return Stream.of(RUNNING_JDK, TEMURIN_25);
        }
        System.out.println("ClassArchivePerJvmTest: the Temurin 25 part is skipped: no JDK at " + TEMURIN_25);
        return Stream.of(RUNNING_JDK);
    }

    @BeforeEach
    void copyTheModuleAndItsJars() throws IOException {
        Path module = ModuleUnderTest.path();
        dist = Files.createDirectories(dir.resolve("dist"));
        Files.copy(module, dist.resolve("libjhsm.so"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String jar : List.of("jhsm-module.jar", "jhsm.jar")) {
            Files.copy(module.resolveSibling(jar), dist.resolve(jar), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.writeString(dir.resolve("jhsm.conf"), "directory = " + dir.resolve("tokens") + "\nslots = 1\n");
    }

    @Test
    void eachJvmBootsWithItsOwnArchiveWhenSeveralLieSideBySide() {
        List<Path> jdks = jdks().toList();
        Map<Path, Path> archives = makeArchives(jdks);
        assertTrue(archives.size() == jdks.size(), "one archive per JDK, not shared: " + archives);
        for (Path jdk : jdks) {
            assertTrue(bootLog(jdk).contains(FROM_ARCHIVE), jdk + " boots the bridge from its archive");
        }
    }

    @Test
    void jdk25GetsAnAotCacheAndOlderJdksAClassArchive() {
        Assumptions.assumeTrue(Files.isExecutable(TEMURIN_25.resolve("bin/java")), "skipped: no " + TEMURIN_25);
        Map<Path, Path> archives = makeArchives(List.of(RUNNING_JDK, TEMURIN_25));
        assertTrue(archives.get(TEMURIN_25).toString().endsWith(".aot"), "JDK 25: " + archives.get(TEMURIN_25));
        assertTrue(Runtime.version().feature() >= 25 || archives.get(RUNNING_JDK).toString().endsWith(".jsa"),
                "JDK " + Runtime.version().feature() + ": " + archives.get(RUNNING_JDK));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anArchiveWhoseStampNamesAnotherJvmIsNotOffered(Path jdk) throws IOException {
        Path stamp = Path.of(makeArchives(List.of(jdk)).get(jdk) + ".jvm");
        String[] fields = Files.readString(stamp).strip().split(" ");
        fields[1] = Long.toString(Long.parseLong(fields[1]) + 1);   // another libjvm.so's size
        Files.writeString(stamp, String.join(" ", fields) + "\n");
        assertBootsFromTheJar(jdk, "another libjvm.so's archive is left alone");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anArchiveOfAnEarlierModuleJarIsNotOffered(Path jdk) throws IOException {
        makeArchives(List.of(jdk));
        // What a rebuild leaves: a jar of another size and time. JDK 25 maps an AOT cache over such a jar
        // without a check of its own, so the stamp must catch it.
        Files.write(dist.resolve("jhsm-module.jar"), new byte[0], StandardOpenOption.APPEND);
        Files.setLastModifiedTime(dist.resolve("jhsm-module.jar"),
                FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertBootsFromTheJar(jdk, "an archive of an earlier jar is refused");
    }

    @Test
    void anArchiveTheJvmRefusesIsDroppedSilently() throws IOException {
        Assumptions.assumeTrue(Runtime.version().feature() < 25, "JDK 25 does not check the jar's time itself");
        Path archive = makeArchives(List.of(RUNNING_JDK)).get(RUNNING_JDK);
        // The stamp is brought up to the touched jar, so the shim offers the archive and the JVM refuses it.
        Path jar = dist.resolve("jhsm-module.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        restamp(archive, 5, Long.toString(Files.getLastModifiedTime(jar).toMillis() / 1000));
        assertBootsFromTheJar(RUNNING_JDK, "a stale archive is refused by the JVM, quietly");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aTornArchiveIsDroppedSilently(Path jdk) throws IOException {
        Path archive = makeArchives(List.of(jdk)).get(jdk);
        Files.write(archive, Arrays.copyOf(Files.readAllBytes(archive), 4096));
        assertBootsFromTheJar(jdk, "a truncated archive is refused");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anUnreadableStampMeansNoArchive(Path jdk) throws IOException {
        Path archive = makeArchives(List.of(jdk)).get(jdk);
        Files.writeString(Path.of(archive + ".jvm"), "\u0000 not a stamp");
        assertBootsFromTheJar(jdk, "a valid archive without its stamp is not offered");
    }

    @Test
    void anotherJvmsArchiveUnderThisJvmsStampIsDroppedSilently() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(TEMURIN_25.resolve("bin/java")),
                "skipped: no Temurin 25 at " + TEMURIN_25 + " to make a foreign archive with");
        Map<Path, Path> archives = makeArchives(List.of(RUNNING_JDK, TEMURIN_25));
        // Both ways, each stamp brought up to the foreign file's size: the JVM itself refuses what is not its own.
        Path ours = Files.copy(archives.get(RUNNING_JDK), dir.resolve("ours"));
        swapIn(archives.get(TEMURIN_25), archives.get(RUNNING_JDK));
        assertBootsFromTheJar(RUNNING_JDK, "Temurin 25's AOT cache is refused by " + RUNNING_JDK);
        swapIn(ours, archives.get(TEMURIN_25));
        assertBootsFromTheJar(TEMURIN_25, RUNNING_JDK + "'s archive is refused as an AOT cache by Temurin 25");
    }

    @Test
    void theUsersOwnClassSharingOptionsTakeOverFromTheAotCache() {
        Assumptions.assumeTrue(Files.isExecutable(TEMURIN_25.resolve("bin/java")), "skipped: no " + TEMURIN_25);
        makeArchives(List.of(TEMURIN_25));
        // -Xshare with -XX:AOTCache stops the JVM from starting: the shim leaves the cache out.
        assertTrue(bootLog(TEMURIN_25, "-Xshare:auto").contains(fromTheModuleJar()), "boots, from the jar");
    }

    /** Copies {@code from} over {@code to} and makes {@code to}'s stamp fit its new size. */
    private static void swapIn(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        restamp(to, 3, Long.toString(Files.size(to)));
    }

    /** Sets field {@code index} (0-based) of the archive's stamp: jvm, size, mtime, archive size, jar size, jar mtime. */
    private static void restamp(Path archive, int index, String value) throws IOException {
        Path stamp = Path.of(archive + ".jvm");
        String[] fields = Files.readString(stamp).strip().split(" ");
        fields[index] = value;
        Files.writeString(stamp, String.join(" ", fields) + "\n");
    }

    /** Runs `jhsm archive` (ClassArchiveSlot from the copied jar) and returns each JDK's archive by what it printed. */
    private Map<Path, Path> makeArchives(List<Path> jdks) {
        List<String> argv = new ArrayList<>(List.of(RUNNING_JDK.resolve("bin/java").toString(), "-cp",
                dist.resolve("jhsm.jar").toString(), "io.jhsm.conformance.abi.ClassArchiveSlot", dist.toString()));
        for (Path jdk : jdks) {
            argv.addAll(List.of("--java-home", jdk.toString()));
        }
        String out = Cmd.of(argv).run().assertOk("jhsm archive").output();
        Matcher m = Pattern.compile("(\\S+/jhsm-[0-9a-f]{16}\\.(?:jsa|aot)): (?:class archive|AOT cache) for (\\S+) ")
                .matcher(out);
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

    private void assertBootsFromTheJar(Path jdk, String why) {
        String log = bootLog(jdk);
        assertTrue(log.contains(fromTheModuleJar()), why + " (" + jdk + "): " + grepBoot(log));
    }

    private String fromTheModuleJar() {
        return "io.jhsm.bridge.NativeBoot source: file:" + realPath(dist).resolve("jhsm-module.jar");
    }

    private static String grepBoot(String log) {
        return log.lines().filter(l -> l.contains("NativeBoot")).findFirst().orElse("no NativeBoot in the log");
    }

    private String bootLog(Path jdk) {
        return bootLog(jdk, "");
    }

    /**
     * Loads the copied module into pkcs11-tool on {@code jdk}, checks it works and printed nothing of the JVM's
     * class-sharing messages, and returns the JVM's class-loading log.
     */
    private String bootLog(Path jdk, String moreOptions) {
        Path log = dir.resolve("class-load.log");
        try {
            Files.deleteIfExists(log);
            Cmd.of("pkcs11-tool", "--module", dist.resolve("libjhsm.so").toString(), "--show-info", "--list-mechanisms")
                    .env(Map.of("JAVA_HOME", jdk.toString(), "JHSM_JAVA_HOME", jdk.toString(),
                            "JHSM_CONF", dir.resolve("jhsm.conf").toString(),
                            "JHSM_JAVA_OPTS", moreOptions + " -Xlog:class+load=info:file=" + log))
                    .run().assertOk("pkcs11-tool on " + jdk)
                    .assertOutputContains("jhsm simulated HSM", "C_GetInfo answered")
                    .assertOutputContains("AES-GCM", "C_GetMechanismList answered")
                    .assertOutputLacks("[cds", "the JVM's class-sharing messages stay off the host's output")
                    .assertOutputLacks("[aot", "the JVM's AOT cache messages stay off the host's output");
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
