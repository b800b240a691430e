package io.jhsm.engine.store;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock-free answer to "has any connection committed since?" for a database in WAL mode. Every commit (and
 * every restart of the WAL) rewrites the wal-index header, the first 48 bytes of the {@code -shm} file (SQLite's
 * documented WAL-index format, walformat.html), and SQLite's own readers learn of commits by comparing those
 * bytes. While they read the same, nothing was committed. That costs a few memory loads, where PRAGMA
 * data_version opens and closes a read transaction (two fcntl lock calls: several microseconds on a busy
 * machine), which matters because every lookup of a token object by handle asks.
 *
 * <p>The file stays mapped while the store's connection is open; SQLite only truncates it when no
 * connection has it open. Not mappable (no {@code -shm} yet): {@link #header} is null and every check
 * answers "maybe changed", so callers fall back to data_version.
 */
final class WalIndexWatch {
    private static final int HEADER_BYTES = 48;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer header;
    private volatile boolean open = true;

    private WalIndexWatch(MappedByteBuffer header) {
        this.header = header;
    }

    /** Watches {@code database}'s -shm file; open the connection (and read once) first, so that the file exists. */
    static WalIndexWatch of(Path database) {
        Path shm = database.resolveSibling(database.getFileName() + "-shm");
        try (FileChannel ch = FileChannel.open(shm, StandardOpenOption.READ)) {
            if (Files.size(shm) < HEADER_BYTES) {
                return new WalIndexWatch(null);
            }
            return new WalIndexWatch(ch.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_BYTES));
        } catch (IOException | UnsupportedOperationException e) {
            return new WalIndexWatch(null);
        }
    }

    /** The header now, to compare later; null when not watched. Read it before whatever it is to vouch for. */
    long[] read() {
        if (header == null || !open) {
            return null;
        }
        long[] h = new long[HEADER_BYTES / 8];
        for (int i = 0; i < h.length; i++) {
            h[i] = (long) LONGS.getAcquire(header, i * 8);
        }
        return h;
    }

    /** True only if the header still reads {@code earlier}: nothing was committed since it was read. */
    boolean unchangedSince(long[] earlier) {
        if (earlier == null || !open) {
            return false;
        }
        for (int i = 0; i < earlier.length; i++) {
            if ((long) LONGS.getAcquire(header, i * 8) != earlier[i]) {
                return false;
            }
        }
        return true;
    }

    /** Before the connection closes: after that the file may be truncated under the mapping. */
    void close() {
        open = false;
    }
}
