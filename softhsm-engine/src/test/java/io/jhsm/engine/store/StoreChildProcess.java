package io.jhsm.engine.store;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second process on the same token directory, spawned by the tests.
 * {@code insert DIR N}: inserts N objects, prints "done N". {@code churn DIR}: inserts, updates
 * and deletes until killed, printing "progress K" lines. {@code dms DIR}: prints "dms held" when another
 * process holds SQLite's shared lock on the -shm file (its "dead man switch", byte 128, which every open
 * connection holds), else "dms free"; it only tries an exclusive lock and lets go at once.
 */
public final class StoreChildProcess {

    public static void main(String[] args) throws java.io.IOException {
        Path dir = Path.of(args[1]);
        if (args[0].equals("dms")) {
            try (FileChannel shm = FileChannel.open(dir.resolve(SqliteTokenStore.DATABASE_FILE + "-shm"),
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = shm.tryLock(128, 1, false)) {
                System.out.println(lock == null ? "dms held" : "dms free");
            }
            return;
        }
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            if (args[0].equals("insert")) {
                int n = Integer.parseInt(args[2]);
                for (int i = 0; i < n; i++) {
                    store.insertObject(object("child-" + i, i));
                }
                System.out.println("done " + n);
            } else {
                churn(store);
            }
        }
    }

    static List<Attribute> object(String label, int i) {
        byte[] value = new byte[32 + i % 64];
        value[0] = (byte) i;
        return List.of(Attribute.of(CKA.LABEL, label), Attribute.of(CKA.VALUE, value),
                Attribute.ofTemplate(CKA.UNWRAP_TEMPLATE, List.of(Attribute.of(CKA.SENSITIVE, true))));
    }

    private static void churn(SqliteTokenStore store) {
        List<Long> live = new ArrayList<>();
        for (int i = 0; ; i++) {
            live.add(store.insertObject(object("churn-" + i, i)));
            if (i % 3 == 0) {
                store.updateObject(live.get(live.size() / 2), object("updated-" + i, i));
            }
            if (i % 4 == 0) {
                store.deleteObject(live.remove(0));
            }
            if (i % 50 == 0) {
                System.out.println("progress " + i);
                System.out.flush();
            }
        }
    }

    /** Starts this class in a new JVM with the test class path. */
    static Process spawn(String... args) throws java.io.IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classPath, StoreChildProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static boolean waitFor(Process p, long seconds) throws InterruptedException {
        return p.waitFor(seconds, TimeUnit.SECONDS);
    }
}
