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
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

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
 *
 * <p>The descriptor the mapping is made through stays open until the last watch of the file in this process is
 * released, after its connection closed: closing any descriptor of a file drops every fcntl lock the process
 * holds on it (POSIX), SQLite's shared lock on the -shm file included. Another process opening the database
 * would then take itself for the only user, reset the wal-index under this process's connections and kill it with
 * SIGBUS on its next write there (sqlite.org/howtocorrupt.html, section 2.2).
 */
final class WalIndexWatch {
    private static final int HEADER_BYTES = 48;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** The -shm files this process watches, each opened and mapped once; guarded by itself. */
    private static final Map<Object, Mapping> MAPPINGS = new HashMap<>();

    /** One file's open descriptor, its header mapping (null: not mappable) and how many watches use them. */
    private static final class Mapping {
        final FileChannel channel;
        MappedByteBuffer header;
        int users = 1;

        Mapping(FileChannel channel, MappedByteBuffer header) {
            this.channel = channel;
            this.header = header;
        }
    }

    /** The watched file's key in {@link #MAPPINGS}; null when not watched. */
    private final Object key;
    private final MappedByteBuffer header;
    private volatile boolean open = true;
    private boolean released;

    private WalIndexWatch(Object key, MappedByteBuffer header) {
        this.key = key;
        this.header = header;
    }

    /** Watches {@code database}'s -shm file; open the connection (and read once) first, so that the file exists. */
    static WalIndexWatch of(Path database) {
        Path shm = database.resolveSibling(database.getFileName() + "-shm").toAbsolutePath().normalize();
        synchronized (MAPPINGS) {
            Object key = identity(shm);
            Mapping m = MAPPINGS.get(key);
            if (m != null) {
                m.users++;
                m.header = m.header != null ? m.header : header(m.channel);
                return new WalIndexWatch(key, m.header);
            }
            try {
                FileChannel ch = FileChannel.open(shm, StandardOpenOption.READ);
                m = new Mapping(ch, header(ch));
            } catch (IOException e) {
                return new WalIndexWatch(null, null);
            }
            MAPPINGS.put(key, m);
            return new WalIndexWatch(key, m.header);
        }
    }

    /**
     * The file itself (device and inode), not its name: a database replaced under the same name (a restore) must
     * not be watched through the mapping of the file it replaced, whose header no longer changes.
     */
    private static Object identity(Path shm) {
        try {
            Object key = Files.readAttributes(shm, BasicFileAttributes.class).fileKey();
            return key != null ? key : shm;
        } catch (IOException e) {
            return shm;
        }
    }

    /** The header mapped through {@code ch}; null while the file is too short or not mappable (the descriptor stays open). */
    private static MappedByteBuffer header(FileChannel ch) {
        try {
            return ch.size() >= HEADER_BYTES ? ch.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_BYTES) : null;
        } catch (IOException e) {
            return null;
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

    /** After the connection closed: the last watch of the file in this process closes its descriptor. */
    void release() {
        close();
        if (key == null) {
            return;
        }
        synchronized (MAPPINGS) {
            if (released) {
                return;
            }
            released = true;
            Mapping m = MAPPINGS.get(key);
            if (m != null && --m.users == 0) {
                MAPPINGS.remove(key);
                try {
                    m.channel.close();
                } catch (IOException ignored) {
                    // nothing is left to do with a descriptor that would not close
                }
            }
        }
    }
}
