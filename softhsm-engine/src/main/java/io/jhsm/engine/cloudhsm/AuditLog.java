package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.store.PendingAudit;
import io.jhsm.engine.store.TokenStore;
import io.jhsm.pkcs11.CKR;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HSM's audit log: {@value #FILE} in the token directory, one JSON record a line, appended by
 * every process that uses the token. Each record carries a gap-free sequence number and the SHA-256
 * of the previous record's hash and its own body, so editing, removing or reordering records breaks
 * the chain ({@link AuditVerifier}). Appends hold an exclusive file lock (other processes) and a
 * per-file monitor (other threads: a JVM may hold one lock per file).
 */
public final class AuditLog {
    public static final String FILE = "audit.log";
    static final String GENESIS = "0".repeat(64);
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();
    private static final int TAIL = 4096;

    private final Path file;
    private final Path directory;
    /** token.db's audit records committed with their changes, copied into the file before each append; null: none. */
    private final TokenStore store;
    /**
     * Guarded by the monitor: the log kept open between appends (an open and a close were half of an
     * append's system time), its size after the last record this object read or wrote, that record's
     * sequence number and hash, and the reboot counter then.
     */
    private FileChannel channel;
    private long knownSize = -1;
    private long knownSeq;
    private String knownHash;
    private long knownReboot;
    /** The last token.db audit record the file holds ("txn" of the last record; every record carries it forward). */
    private long knownTxn;

    public AuditLog(Path tokenDirectory) {
        this(tokenDirectory, null);
    }

    /** A log that first copies in the records {@code store} committed with changes and the file lacks. */
    public AuditLog(Path tokenDirectory, TokenStore store) {
        this.directory = tokenDirectory;
        this.file = tokenDirectory.resolve(FILE).toAbsolutePath().normalize();
        this.store = store;
    }

    public Path file() {
        return file;
    }

    /** Appends one record (after any committed change's record the file lacks); returns its sequence number. */
    public long append(AuditEvent e) {
        return appendAfterPending(e);
    }

    /**
     * Brings the file up to date with token.db: the record of every change committed there and not yet
     * in the file (its writer ended, or has not got to it yet) is appended, in commit order. Returns the
     * last sequence number.
     */
    public long sync() {
        return appendAfterPending(null);
    }

    private long appendAfterPending(AuditEvent e) {
        long written;
        long seq;
        synchronized (monitor()) {
            try {
                FileChannel ch = channel();
                try (FileLock lock = ch.lock()) {
                    long size = ch.size();
                    if (size != knownSize) {
                        // Another process (or another AuditLog on this file) appended since: take its last record,
                        // and the reboot counter, which a zeroize or a restore elsewhere changes before it logs.
                        Map<String, Object> last = lastRecord(ch, size);
                        knownSeq = last == null ? 0 : (Long) last.get("seq");
                        knownHash = last == null ? GENESIS : (String) last.get("hash");
                        knownTxn = last != null && last.get("txn") instanceof Long t ? t : 0;
                        knownReboot = RebootCounter.read(directory);
                    }
                    if (store != null) {
                        for (PendingAudit p : store.pendingAudit(knownTxn)) {
                            knownTxn = p.id();
                            write(ch, size, body(knownSeq + 1, Json.readObject(p.record()), knownHash, knownReboot));
                            size = knownSize;
                        }
                    }
                    if (e != null) {
                        write(ch, size, body(knownSeq + 1, fields(e, MICROS.format(Instant.now())), knownHash,
                                knownReboot));
                    }
                    written = knownTxn;
                    seq = knownSeq;
                }
            } catch (IOException ex) {
                close();
                throw new UncheckedIOException("cannot append to the audit log " + file, ex);
            }
        }
        if (store != null) {
            store.auditWritten(written);
        }
        return seq;
    }

    /**
     * The text a change's record is committed with in token.db: every field but the ones the file's
     * chain assigns (seq, reboot counter, previous hash, hash), with the time of the change.
     */
    public static String pendingRecord(AuditEvent e) {
        return Json.write(fields(e, MICROS.format(Instant.now())));
    }

    /** The record's line is its body with the hash appended: one serialisation serves the hash and the line. */
    private long write(FileChannel ch, long size, Map<String, Object> body) throws IOException {
        String json = Json.write(body);
        String hash = hash(knownHash, json);
        byte[] line = (json.substring(0, json.length() - 1) + ",\"hash\":\"" + hash + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        // No fsync per record: once written, the record is in the kernel and survives this process,
        // the durability the token store has too (SQLite WAL with synchronous = NORMAL). A sync per
        // record made every key generation and destruction wait for the disk (3-4x slower).
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            ch.write(buf, size + buf.position());
        }
        knownSize = size + line.length;
        knownSeq = (Long) body.get("seq");
        knownHash = hash;
        return knownSeq;
    }

    /** Closes the kept-open file (C_Finalize, end of a CLI command); a later append opens it again. */
    public void close() {
        synchronized (monitor()) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // Nothing was buffered: every append wrote its record before returning.
            }
            channel = null;
            knownSize = -1;
        }
    }

    private Object monitor() {
        return MONITORS.computeIfAbsent(file, k -> new Object());
    }

    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException missingDirectory) {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
        }
        return channel;
    }

    private static Map<String, Object> fields(AuditEvent e, String time) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time);
        m.put("command_type", e.commandType());
        m.put("opcode", e.opcode());
        m.put("session", e.session());
        m.put("response", e.response() == 0 ? "0:RET_OK" : e.response() + ":" + CKR.name(e.response()));
        m.put("user", e.user());
        m.put("keys", e.keys());
        m.put("detail", e.detail());
        return m;
    }

    /** The record in the file's field order; "txn" is the last token.db record the file holds, this one or earlier. */
    private Map<String, Object> body(long seq, Map<String, Object> fields, String prev, long reboot) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("time", fields.get("time"));
        m.put("reboot_counter", reboot);
        for (String k : List.of("command_type", "opcode", "session", "response", "user", "keys", "detail")) {
            m.put(k, fields.get(k));
        }
        m.put("txn", knownTxn);
        m.put("prev", prev);
        return m;
    }

    /** SHA-256 over the previous record's hash and this record's body (every field but the hash). */
    static String hash(String prev, Map<String, Object> body) {
        return hash(prev, Json.write(body));
    }

    private static String hash(String prev, String bodyJson) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(prev.getBytes(StandardCharsets.US_ASCII));
            d.update((byte) '\n');
            d.update(bodyJson.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The last complete record, read from the file's tail: a window of {@value #TAIL} bytes (records are a
     * few hundred), doubled until it holds the start of the last line. Only that line is decoded, so an
     * append costs the same however long the log is.
     */
    private static Map<String, Object> lastRecord(FileChannel ch, long size) throws IOException {
        for (long window = TAIL; size > 0; window *= 2) {
            int n = (int) Math.min(size, window);
            ByteBuffer buf = ByteBuffer.allocate(n);
            while (buf.hasRemaining() && ch.read(buf, size - n + buf.position()) >= 0) {
                // a short read leaves room: read on from where it stopped
            }
            byte[] b = buf.array();
            int end = n;
            while (end > 0 && (b[end - 1] == '\n' || b[end - 1] == '\r' || b[end - 1] == ' ')) {
                end--;
            }
            int start = end;
            while (start > 0 && b[start - 1] != '\n') {
                start--;
            }
            if (start > 0 || n == size) {
                return end == 0 ? null : Json.readObject(new String(b, start, end - start, StandardCharsets.UTF_8));
            }
        }
        return null;
    }
}
