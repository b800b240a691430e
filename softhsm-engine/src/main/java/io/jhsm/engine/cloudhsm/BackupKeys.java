package io.jhsm.engine.cloudhsm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.generators.KDFCounterBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KDFCounterParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The keys of CloudHSM's backup scheme, simulated. The manufacturer key (burnt into every HSM) and
 * the service key (held by AWS) are 32 random bytes each in {@code keys/manufacturer.key} and
 * {@code keys/service.key} under the backup directory (0600). The persistent backup key is derived
 * from both with the SP 800-108 counter-mode KDF (HMAC-SHA256); each backup's ephemeral AES-256 key
 * is wrapped under it with the SP 800-38F / RFC 3394 AES key wrap. Any jhsm that sees the same
 * backup directory can therefore restore the backup, as any HSM of the same AWS region can.
 */
final class BackupKeys {
    private BackupKeys() {}

    private static final byte[] LABEL = "jhsm CloudHSM persistent backup key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT_LABEL = "jhsm cluster snapshot key".getBytes(StandardCharsets.US_ASCII);

    static SecretKey persistentKey(Path backupDirectory) {
        byte[] manufacturer = loadOrCreate(backupDirectory.resolve("keys").resolve("manufacturer.key"));
        byte[] service = loadOrCreate(backupDirectory.resolve("keys").resolve("service.key"));
        return derive(manufacturer, LABEL, service);
    }

    /**
     * The key a replication snapshot's ephemeral key is wrapped under: derived from the cluster's storage
     * key (device.key, on every HSM of the cluster), so any HSM of the cluster opens it and nothing else does.
     */
    static SecretKey snapshotKey(SecretKey clusterKey) {
        return derive(clusterKey.getEncoded(), SNAPSHOT_LABEL, new byte[0]);
    }

    private static SecretKey derive(byte[] keyIn, byte[] label, byte[] context) {
        KDFCounterBytesGenerator kdf = new KDFCounterBytesGenerator(new HMac(new SHA256Digest()));
        // Fixed input: Label || 0x00 || Context after the 32-bit counter, as SP 800-108 lays it out.
        byte[] fixed = new byte[label.length + 1 + context.length];
        System.arraycopy(label, 0, fixed, 0, label.length);
        System.arraycopy(context, 0, fixed, label.length + 1, context.length);
        kdf.init(new KDFCounterParameters(keyIn, fixed, 32));
        byte[] key = new byte[32];
        kdf.generateBytes(key, 0, key.length);
        return new SecretKeySpec(key, "AES");
    }

    static byte[] wrap(SecretKey persistent, byte[] ephemeral) {
        AESWrapEngine w = new AESWrapEngine();
        w.init(true, new KeyParameter(persistent.getEncoded()));
        return w.wrap(ephemeral, 0, ephemeral.length);
    }

    static byte[] unwrap(SecretKey persistent, byte[] wrapped) throws GeneralSecurityException {
        AESWrapEngine w = new AESWrapEngine();
        w.init(false, new KeyParameter(persistent.getEncoded()));
        try {
            return w.unwrap(wrapped, 0, wrapped.length);
        } catch (org.bouncycastle.crypto.InvalidCipherTextException e) {
            throw new GeneralSecurityException("the backup key does not unwrap: " + e.getMessage(), e);
        }
    }

    private static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] k = new byte[32];
                new SecureRandom().nextBytes(k);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.write(file, k);
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first: use theirs
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
