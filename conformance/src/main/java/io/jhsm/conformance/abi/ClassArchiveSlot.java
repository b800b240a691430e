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
import java.util.stream.Stream;

/**
 * Makes the class-data-sharing archive of another JDK: {@code jhsm archive --java-home PATH} (and the build,
 * for the JDKs named by {@code -Djhsm.archive.jdks}). An archive belongs to the one JVM build that wrote it,
 * and the build's own goes to dist/jhsm.jsa; every other JDK gets a slot of its own beside it,
 * dist/jhsm-KEY.jsa with its stamp dist/jhsm-KEY.jsa.jvm, so several JDKs keep their archives side by side.
 * KEY is the FNV-1a 64 hash of the real path of the JDK's libjvm.so: the shim (find_class_archive in
 * jhsm_jvm.c) computes the same name from the JVM it is about to start, so it opens one file instead of
 * scanning the directory, and the stamp then proves the archive is that JVM's.
 *
 * <p>The training is the build's: {@link ClassArchiveTraining} run by that JDK's {@code java} under
 * {@code -XX:ArchiveClassesAtExit}, with the options the shim starts its JVM with, on a throw-away token.
 */
public final class ClassArchiveSlot {
    /** The JVM options of build_options in jhsm_jvm.c that shape the archive (and distribution/pom.xml's). */
    private static final List<String> SHIM_OPTIONS = List.of("-Xrs", "-Xshare:auto",
            "--enable-native-access=ALL-UNNAMED",
            "-Djna.platform.library.path=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:"
                    + "/usr/lib/aarch64-linux-gnu:/lib/aarch64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib");

    private ClassArchiveSlot() {}

    /** The archive file of the JVM whose libjvm.so is {@code libjvm} (any path to it) in {@code dist}. */
    public static Path archiveFor(Path dist, Path libjvm) throws IOException {
        long key = 0xcbf29ce484222325L;
        for (byte b : libjvm.toRealPath().toString().getBytes(StandardCharsets.UTF_8)) {
            key = (key ^ (b & 0xff)) * 0x100000001b3L;
        }
        return dist.resolve(String.format(Locale.ROOT, "jhsm-%016x.jsa", key));
    }

    /** The libjvm.so the shim loads from this Java home (open_libjvm in jhsm_jvm.c). */
    public static Path libjvm(Path javaHome) {
        return javaHome.resolve("lib/server/libjvm.so");
    }

    /**
     * Runs the training with {@code javaHome}'s java and leaves that JDK's archive and stamp in {@code dist}
     * (which holds libjhsm.so and jhsm.jar): in its own slot, or in jhsm.jsa when {@code buildSlot} (the build's
     * JDK). Returns the archive; throws if the training failed.
     */
    public static Path make(Path dist, Path javaHome, boolean buildSlot) throws IOException, InterruptedException {
        Path real = dist.toRealPath();
        Path libjvm = libjvm(javaHome);
        if (!Files.isRegularFile(libjvm) || !Files.isExecutable(javaHome.resolve("bin/java"))) {
            throw new IOException(javaHome + " is not a JDK: no bin/java or lib/server/libjvm.so");
        }
        Path archive = buildSlot ? real.resolve("jhsm.jsa") : archiveFor(real, libjvm);
        Path stamp = Path.of(archive + ".jvm");
        Files.deleteIfExists(stamp);
        Files.deleteIfExists(archive);
        Path token = Files.createTempDirectory("jhsm-archive-training");
        try {
            train(real, javaHome, archive, token);
            writeStamp(stamp, Files.readString(token.resolve("stamp")).strip(), Files.size(archive));
            return archive;
        } finally {
            try (Stream<Path> files = Files.walk(token)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static void train(Path dist, Path javaHome, Path archive, Path token)
            throws IOException, InterruptedException {
        Path conf = token.resolve("jhsm.conf");
        Files.writeString(conf, "directory = " + token.resolve("token") + "\nslots = 1\n");
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(),
                "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=error"));
        command.addAll(SHIM_OPTIONS);
        command.addAll(List.of("-cp", dist.resolve("jhsm.jar").toString(), ClassArchiveTraining.class.getName(),
                dist.resolve("libjhsm.so").toString(), token.resolve("stamp").toString()));
        Path out = token.resolve("training.out");
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO().redirectOutput(out.toFile());
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
     * The stamp is written last, whole, with the archive's size: the shim offers only an archive of that size,
     * as the JVM maps a truncated one without checking and dies of SIGBUS (JDK 17, seen in ClassArchivePerJvmTest).
     */
    private static void writeStamp(Path stamp, String jvm, long archiveSize) throws IOException {
        Path partial = Path.of(stamp + ".partial");
        Files.writeString(partial, jvm + " " + archiveSize + "\n");
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
                    + "  makes the class archive that shortens the cold load of libjhsm.so when the shim runs on"
                    + " that JDK (JHSM_JAVA_HOME/JAVA_HOME);\n  the build makes dist/jhsm.jsa for its own JDK"
                    + " (--build-jdk JAVA_HOME).");
            System.exit(2);
        }
        int failed = 0;
        for (Path home : homes) {
            long start = System.nanoTime();
            try {
                Path archive = make(Path.of(args[0]), home, buildSlot);
                System.out.printf(Locale.ROOT, "%s: class archive for %s (%.1f s)%n", archive, home.toRealPath(),
                        (System.nanoTime() - start) / 1e9);
            } catch (IOException e) {
                System.err.println("jhsm archive: " + e.getMessage());
                failed++;
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
