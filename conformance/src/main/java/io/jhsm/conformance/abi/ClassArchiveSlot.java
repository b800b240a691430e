package io.jhsm.conformance.abi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes the class archive of a JDK: {@code jhsm archive --java-home PATH} (and the build, for its own JDK and the
 * JDKs named by {@code -Djhsm.archive.jdks}). On JDK 25 and later it is an AOT cache (JEP 483/514/515: classes
 * loaded and linked ahead of time, with the training's method profiles), dist/…​.aot; on JDK 17–24 a dynamic
 * class-data-sharing archive, dist/…​.jsa. An archive belongs to the one JVM build that wrote it, and the build's
 * own goes to dist/jhsm.aot or dist/jhsm.jsa; every other JDK gets a slot of its own beside it, dist/jhsm-KEY.aot
 * or .jsa with its stamp (…​.jvm), so several JDKs keep their archives side by side. KEY is the FNV-1a 64 hash of
 * the real path of the JDK's libjvm.so: the shim (find_class_archive in jhsm_jvm.c) computes the same name from
 * the JVM it is about to start, so it opens one file instead of scanning the directory, and the stamp then proves
 * the archive is that JVM's, made from today's dist/jhsm-module.jar.
 *
 * <p>The training is the build's: {@link ClassArchiveTraining} run by that JDK's {@code java} with the options
 * the shim starts its JVM with and the module jar alone on the class path, on a throw-away token.
 */
public final class ClassArchiveSlot {
    /** The jar libjhsm.so boots from (MODULE_JAR in jhsm_jvm.c); the archives record it. */
    static final String MODULE_JAR = "jhsm-module.jar";
    /** The first JDK whose archive is an AOT cache (-XX:AOTCacheOutput, JEP 514). */
    static final int FIRST_AOT_CACHE_JDK = 25;
    /** The JVM options of build_options in jhsm_jvm.c that shape the archive (and distribution/pom.xml's). */
    private static final List<String> SHIM_OPTIONS = List.of("-Xrs", "--enable-native-access=ALL-UNNAMED",
            "-Djna.platform.library.path=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:"
                    + "/usr/lib/aarch64-linux-gnu:/lib/aarch64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib");

    private ClassArchiveSlot() {}

    /** The two kinds of archive, by the JDK that will map it. */
    enum Kind {
        /** JDK 17–24: -XX:ArchiveClassesAtExit, mapped with -Xshare:auto -XX:SharedArchiveFile. */
        CDS(".jsa", List.of("-Xshare:auto", "-Xlog:cds=error")),
        /** JDK 25+: -XX:AOTCacheOutput (training then assembly in one step), mapped with -XX:AOTCache. */
        AOT(".aot", List.of("-Xlog:aot=error", "-Xlog:cds=error"));

        final String suffix;
        final List<String> trainingOptions;

        Kind(String suffix, List<String> trainingOptions) {
            this.suffix = suffix;
            this.trainingOptions = trainingOptions;
        }

        List<String> dumpOptions(Path archive) {
            return List.of(this == AOT ? "-XX:AOTCacheOutput=" + archive : "-XX:ArchiveClassesAtExit=" + archive);
        }

        /** By the JDK's {@code release} file (JAVA_VERSION="25.0.1"); a JDK without one gets a plain archive. */
        static Kind of(Path javaHome) throws IOException {
            Path release = javaHome.resolve("release");
            if (!Files.isRegularFile(release)) {
                return CDS;
            }
            Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
            return m.find() && Integer.parseInt(m.group(1)) >= FIRST_AOT_CACHE_JDK ? AOT : CDS;
        }
    }

    /** The slot (file name without its suffix) of the JVM whose libjvm.so is {@code libjvm} (any path to it). */
    public static Path slotFor(Path dist, Path libjvm) throws IOException {
        long key = 0xcbf29ce484222325L;
        for (byte b : libjvm.toRealPath().toString().getBytes(StandardCharsets.UTF_8)) {
            key = (key ^ (b & 0xff)) * 0x100000001b3L;
        }
        return dist.resolve(String.format(Locale.ROOT, "jhsm-%016x", key));
    }

    /** The libjvm.so the shim loads from this Java home (open_libjvm in jhsm_jvm.c). */
    public static Path libjvm(Path javaHome) {
        return javaHome.resolve("lib/server/libjvm.so");
    }

    /**
     * Runs the training with {@code javaHome}'s java and leaves that JDK's archive and stamp in {@code dist}
     * (which holds libjhsm.so, jhsm-module.jar and jhsm.jar): in its own slot, or in the jhsm slot when
     * {@code buildSlot} (the build's JDK). Returns the archive; throws if the training failed.
     */
    public static Path make(Path dist, Path javaHome, boolean buildSlot) throws IOException, InterruptedException {
        Path real = dist.toRealPath();
        Path libjvm = libjvm(javaHome);
        if (!Files.isRegularFile(libjvm) || !Files.isExecutable(javaHome.resolve("bin/java"))) {
            throw new IOException(javaHome + " is not a JDK: no bin/java or lib/server/libjvm.so");
        }
        Path slot = buildSlot ? real.resolve("jhsm") : slotFor(real, libjvm);
        clear(slot);
        if (!buildSlot && buildSlotNames(real, libjvm.toRealPath())) {
            // The shim tries the build's slot first. Its archive for this very JVM, made where dist/ was built, is
            // refused by the JVM in a copied dist/ (an archive records its jar's path), and would hide this one.
            clear(real.resolve("jhsm"));
        }
        Kind kind = Kind.of(javaHome);
        Path archive = Path.of(slot + kind.suffix);
        Path token = Files.createTempDirectory("jhsm-archive-training");
        try {
            train(real, javaHome, kind, archive, token);
            writeStamp(Path.of(archive + ".jvm"), Files.readString(token.resolve("stamp")).strip(), Files.size(archive),
                    real.resolve(MODULE_JAR));
            return archive;
        } finally {
            try (Stream<Path> files = Files.walk(token)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Deletes the slot's archive and stamp of either kind: a JDK updated in place may change kind. */
    private static void clear(Path slot) throws IOException {
        for (Kind k : Kind.values()) {
            Files.deleteIfExists(Path.of(slot + k.suffix + ".jvm"));
            Files.deleteIfExists(Path.of(slot + k.suffix));
        }
    }

    /** Whether the build's slot in {@code dist} holds an archive stamped for the libjvm.so at {@code realLibjvm}. */
    private static boolean buildSlotNames(Path dist, Path realLibjvm) throws IOException {
        for (Kind k : Kind.values()) {
            Path stamp = dist.resolve("jhsm" + k.suffix + ".jvm");
            if (Files.isRegularFile(stamp)
                    && Files.readString(stamp).strip().startsWith(realLibjvm + " ")) {
                return true;
            }
        }
        return false;
    }

    private static void train(Path dist, Path javaHome, Kind kind, Path archive, Path token)
            throws IOException, InterruptedException {
        Path conf = token.resolve("jhsm.conf");
        Files.writeString(conf, "directory = " + token.resolve("token") + "\nslots = 1\n");
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString()));
        command.addAll(kind.dumpOptions(archive));
        command.addAll(kind.trainingOptions);
        command.addAll(SHIM_OPTIONS);
        command.add("-Djna.boot.library.path=" + dist);
        // The class path is the module jar alone, as in the shim's JVM; the training itself comes from jhsm.jar.
        command.addAll(List.of("-cp", dist.resolve(MODULE_JAR).toString(), "io.jhsm.bridge.JarMain",
                dist.resolve("jhsm.jar").toString(), ClassArchiveTraining.class.getName(),
                dist.resolve("libjhsm.so").toString(), token.resolve("stamp").toString()));
        Path out = token.resolve("training.out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("JHSM_CONF", conf.toString());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(archive)
                || !Files.isRegularFile(token.resolve("stamp"))) {
            Files.deleteIfExists(archive);
            throw new IOException("the class-archive training with " + javaHome + " failed: "
                    + Files.readString(out).strip());
        }
    }

    /**
     * The stamp is written last, whole, with the archive's size and the module jar's size and mtime: the shim
     * offers only an archive of that size, as the JVM maps a truncated one without checking and dies of SIGBUS
     * (JDK 17, seen in ClassArchivePerJvmTest), and only for that jar, as JDK 25 maps an AOT cache whose jar has
     * changed since without a check of its own.
     */
    private static void writeStamp(Path stamp, String jvm, long archiveSize, Path jar) throws IOException {
        Path partial = Path.of(stamp + ".partial");
        Files.writeString(partial, jvm + " " + archiveSize + " " + Files.size(jar) + " "
                + Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS) + "\n");
        Files.move(partial, stamp, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code ClassArchiveSlot DIST --java-home PATH[,PATH...] ...}: one archive per Java home. */
    public static void main(String[] args) throws Exception {
        List<Path> homes = new ArrayList<>();
        boolean usage = args.length < 3;
        boolean buildSlot = args.length == 3 && args[1].equals("--build-jdk");
        for (int i = 1; i < args.length && !usage && !buildSlot; i += 2) {
            usage = !args[i].equals("--java-home") || i + 1 >= args.length;
            for (String home : usage ? new String[0] : args[i + 1].split(",")) {
                if (!home.isBlank()) {
                    homes.add(Path.of(home.strip()));
                }
            }
        }
        if (buildSlot) {
            homes.add(Path.of(args[2]));
        }
        if (usage || homes.isEmpty()) {
            System.err.println("usage: jhsm archive --java-home JAVA_HOME[,JAVA_HOME...] [--java-home ...]\n"
                    + "  makes the class archive (JDK 17-24) or AOT cache (JDK 25+) that shortens the cold load of"
                    + " libjhsm.so when the shim runs on that JDK (JHSM_JAVA_HOME/JAVA_HOME);\n  the build makes"
                    + " dist/jhsm.jsa or dist/jhsm.aot for its own JDK"
                    + " (--build-jdk JAVA_HOME).");
            System.exit(2);
        }
        int failed = 0;
        for (Path home : homes) {
            long start = System.nanoTime();
            try {
                Path archive = make(Path.of(args[0]), home, buildSlot);
                System.out.printf(Locale.ROOT, "%s: %s for %s (%.1f s)%n", archive,
                        archive.toString().endsWith(Kind.AOT.suffix) ? "AOT cache" : "class archive", home.toRealPath(),
                        (System.nanoTime() - start) / 1e9);
            } catch (IOException e) {
                System.err.println("jhsm archive: " + e.getMessage());
                failed++;
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
