package io.jhsm.engine.cloudhsm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CloudHSM's reboot counter, which audit records carry so a reader can tell sequences of different
 * boots apart. A simulated HSM "reboots" when it is zeroized or restored from a backup; the count
 * lives in {@value #FILE} in the token directory.
 */
public final class RebootCounter {
    static final String FILE = "reboot-counter";

    private RebootCounter() {}

    public static long read(Path directory) {
        Path f = directory.resolve(FILE);
        try {
            // No Files.exists first: a missing file is the IOException below, one system call fewer per audit record.
            return Long.parseLong(Files.readString(f).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    public static void increment(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(FILE), Long.toString(read(directory) + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
