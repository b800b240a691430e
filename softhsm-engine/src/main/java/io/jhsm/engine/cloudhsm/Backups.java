package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.cloudhsm.HsmException.Code;
import io.jhsm.engine.store.SettingsDiff;
import io.jhsm.engine.store.TokenStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CloudHSM backups: create (admin), list, restore onto a fresh or zeroized token, delete. Backups
 * older than the retention period (default 90 days, 7..379) are purged, but the newest backup is
 * never deleted, by retention or by hand. Backup files are {@code <id>.jbk} in the backup directory.
 */
public final class Backups {
    public static final int DEFAULT_RETENTION_DAYS = 90;
    public static final int MIN_RETENTION_DAYS = 7;
    public static final int MAX_RETENTION_DAYS = 379;
    static final String EXTENSION = ".jbk";
    public static final String RETENTION_FILE = "retention-days";

    private final Path directory;

    public Backups(Path backupDirectory) {
        this.directory = backupDirectory;
    }

    public Map<String, Object> create(CloudHsm hsm) {
        Map<String, Object> header = new LinkedHashMap<>();
        try {
            hsm.principal().require(Role.ADMIN, "backup create");
            if (!hsm.token().initialized()) {
                throw new HsmException(Code.STATE, "there is nothing to back up: the token is not initialised");
            }
            byte[] rnd = new byte[6];
            new java.security.SecureRandom().nextBytes(rnd);
            String id = "backup-" + HexFormat.of().formatHex(rnd);
            header.put("backup-id", id);
            header.put("created", Instant.now().toString());
            header.put("cluster-id", hsm.state().read().getProperty("cluster.id", ""));
            header.put("label", hsm.token().record().map(r -> r.label()).orElse(""));
            Files.createDirectories(directory);
            BackupFile.write(directory.resolve(id + EXTENSION), header, BackupContents.of(hsm).encode(),
                    BackupKeys.persistentKey(directory));
        } catch (HsmException e) {
            throw hsm.refuse("CN_BACKUP_BEGIN", null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hsm.audit("CN_BACKUP_BEGIN", null, 0, List.of(), String.valueOf(header.get("backup-id")));
        purgeExpired();
        return header;
    }

    public List<Map<String, Object>> list() {
        purgeExpired();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path p : files()) {
            Map<String, Object> h = new LinkedHashMap<>(BackupFile.header(p));
            h.put("path", p.toString());
            out.add(h);
        }
        return out;
    }

    /** Restores onto a token that was never initialised, or was zeroized: every user and key as they were. */
    public Map<String, Object> restore(CloudHsm target, String idOrPath) {
        Path file = resolve(idOrPath);
        Map<String, Object> header;
        try {
            boolean zeroized = Boolean.parseBoolean(target.state().read().getProperty(Zeroize.ZEROIZED, "false"));
            if (target.token().initialized() && !zeroized) {
                throw new HsmException(Code.STATE, "restore needs a fresh or zeroized token; this one is in use");
            }
            header = BackupFile.header(file);
            BackupContents c = BackupContents.decode(BackupFile.open(file, BackupKeys.persistentKey(directory)));
            target.token().store().initialize(c.token(), c.users());
            for (var attributes : c.objects()) {
                target.token().store().insertObject(attributes);
            }
            target.state().update(p -> {
                p.clear();
                p.putAll(c.settings());
                if (!p.containsKey(ClusterState.KEY)) {
                    p.setProperty(ClusterState.KEY, ClusterState.ACTIVE.name());
                }
            });
            RebootCounter.increment(target.directory());
        } catch (HsmException e) {
            throw target.refuse("CN_RESTORE", null, e);
        }
        target.audit("CN_RESTORE", null, 0, List.of(), String.valueOf(header.get("backup-id")));
        return header;
    }

    public void delete(CloudHsm hsm, String id) {
        try {
            hsm.principal().require(Role.ADMIN, "backup delete");
            Path file = resolve(id);
            List<Path> all = files();
            if (!all.isEmpty() && all.get(all.size() - 1).equals(file)) {
                throw new HsmException(Code.FORBIDDEN, "the newest backup is never deleted");
            }
            Files.delete(file);
        } catch (HsmException e) {
            throw hsm.refuse("CN_BACKUP_DELETE", null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hsm.audit("CN_BACKUP_DELETE", null, 0, List.of(), id);
    }

    public int retentionDays() {
        Path f = directory.resolve(RETENTION_FILE);
        try {
            return Files.exists(f) ? Integer.parseInt(Files.readString(f).strip()) : DEFAULT_RETENTION_DAYS;
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_RETENTION_DAYS;
        }
    }

    public void setRetentionDays(CloudHsm hsm, int days) {
        hsm.principal().require(Role.ADMIN, "backup retention");
        if (days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
            throw hsm.refuse("CN_BACKUP_RETENTION", null, new HsmException(Code.BAD_INPUT,
                    "backup retention is " + MIN_RETENTION_DAYS + " to " + MAX_RETENTION_DAYS + " days"));
        }
        // In a cluster the file is named relative to the token directory: every HSM keeps its backups beside its token.
        SettingsDiff change = SettingsDiff.content(
                hsm.directory().toAbsolutePath().relativize(directory.resolve(RETENTION_FILE).toAbsolutePath()).toString(),
                Integer.toString(days));
        if (!TokenStores.replicate(hsm.directory(), change)) {
            SettingsDiff.writeFile(directory.resolve(RETENTION_FILE), change.set().get(SettingsDiff.CONTENT));
        }
        hsm.audit("CN_BACKUP_RETENTION", null, 0, List.of(), Integer.toString(days));
    }

    /** Deletes expired backups, keeping the newest whatever its age. */
    void purgeExpired() {
        List<Path> all = files();
        Instant limit = Instant.now().minus(Duration.ofDays(retentionDays()));
        for (Path p : all.subList(0, Math.max(0, all.size() - 1))) {
            if (created(p).isBefore(limit)) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private Path resolve(String idOrPath) {
        Path p = idOrPath.endsWith(EXTENSION) ? Path.of(idOrPath) : directory.resolve(idOrPath + EXTENSION);
        if (!Files.exists(p)) {
            throw new HsmException(Code.NOT_FOUND, "no backup " + idOrPath);
        }
        return p;
    }

    /** Backup files, oldest first. */
    private List<Path> files() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> p.getFileName().toString().endsWith(EXTENSION))
                    .sorted(Comparator.comparing(Backups::created)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant created(Path p) {
        try {
            return Instant.parse(String.valueOf(BackupFile.header(p).get("created")));
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
