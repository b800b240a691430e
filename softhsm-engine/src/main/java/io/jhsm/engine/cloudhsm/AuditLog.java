package io.jhsm.engine.cloudhsm;

import io.jhsm.pkcs11.CKR;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
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

    private final Path file;
    private final Path directory;

    public AuditLog(Path tokenDirectory) {
        this.directory = tokenDirectory;
        this.file = tokenDirectory.resolve(FILE).toAbsolutePath().normalize();
    }

    public Path file() {
        return file;
    }

    /** Appends one record; returns its sequence number. */
    public long append(AuditEvent e) {
        Object monitor = MONITORS.computeIfAbsent(file, k -> new Object());
        synchronized (monitor) {
            try {
                Files.createDirectories(file.getParent());
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                    Map<String, Object> last = lastRecord(ch);
                    long seq = last == null ? 1 : ((Long) last.get("seq")) + 1;
                    String prev = last == null ? GENESIS : (String) last.get("hash");
                    Map<String, Object> body = body(seq, e, prev, RebootCounter.read(directory));
                    String line = Json.write(withHash(body, prev)) + "\n";
                    ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), ch.size());
                    ch.force(false);
                    return seq;
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot append to the audit log " + file, ex);
            }
        }
    }

    private static Map<String, Object> body(long seq, AuditEvent e, String prev, long reboot) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("time", MICROS.format(Instant.now()));
        m.put("reboot_counter", reboot);
        m.put("command_type", e.commandType());
        m.put("opcode", e.opcode());
        m.put("session", e.session());
        m.put("response", e.response() == 0 ? "0:RET_OK" : e.response() + ":" + CKR.name(e.response()));
        m.put("user", e.user());
        m.put("keys", e.keys());
        m.put("detail", e.detail());
        m.put("prev", prev);
        return m;
    }

    static Map<String, Object> withHash(Map<String, Object> body, String prev) {
        Map<String, Object> m = new LinkedHashMap<>(body);
        m.put("hash", hash(prev, body));
        return m;
    }

    /** SHA-256 over the previous record's hash and this record's body (every field but the hash). */
    static String hash(String prev, Map<String, Object> body) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(prev.getBytes(StandardCharsets.US_ASCII));
            d.update((byte) '\n');
            d.update(Json.write(body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The last complete record, read from the file's tail (records are short). */
    private static Map<String, Object> lastRecord(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return null;
        }
        int n = (int) Math.min(size, 1 << 16);
        ByteBuffer buf = ByteBuffer.allocate(n);
        ch.read(buf, size - n);
        String tail = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        String[] lines = tail.strip().split("\n");
        return Json.readObject(lines[lines.length - 1]);
    }
}
