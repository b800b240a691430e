package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.cloudhsm.HsmException.Code;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A backup file: magic, a JSON header (id, time, cluster), the wrapped ephemeral key, a GCM nonce and
 * the AES-256-GCM ciphertext of the contents, with the magic, header and wrapped key as associated
 * data. The whole file is thus authenticated: any change makes {@link #open} refuse it.
 */
final class BackupFile {
    private BackupFile() {}

    private static final byte[] MAGIC = "JHSM-BACKUP-1\n".getBytes(StandardCharsets.US_ASCII);

    static void write(Path file, Map<String, Object> header, byte[] contents, SecretKey persistent) throws IOException {
        byte[] ephemeral = new byte[32];
        byte[] nonce = new byte[12];
        SecureRandom r = new SecureRandom();
        r.nextBytes(ephemeral);
        r.nextBytes(nonce);
        byte[] head = Json.write(header).getBytes(StandardCharsets.UTF_8);
        byte[] wrapped = BackupKeys.wrap(persistent, ephemeral);
        byte[] sealed;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(ephemeral, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(head, wrapped));
            sealed = c.doFinal(contents);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.write(MAGIC);
        out.writeInt(head.length);
        out.write(head);
        out.writeInt(wrapped.length);
        out.write(wrapped);
        out.write(nonce);
        out.write(sealed);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, b.toByteArray());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static Map<String, Object> header(Path file) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            checkMagic(in);
            return Json.readObject(new String(in.readNBytes(length(in)), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, e);
        }
    }

    static byte[] open(Path file, SecretKey persistent) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            checkMagic(in);
            byte[] head = in.readNBytes(length(in));
            byte[] wrapped = in.readNBytes(length(in));
            byte[] nonce = in.readNBytes(12);
            byte[] sealed = in.readAllBytes();
            byte[] ephemeral = BackupKeys.unwrap(persistent, wrapped);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(ephemeral, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(head, wrapped));
            return c.doFinal(sealed);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw corrupt(file, e);
        }
    }

    private static void checkMagic(DataInputStream in) throws IOException {
        if (!java.util.Arrays.equals(MAGIC, in.readNBytes(MAGIC.length))) {
            throw new IOException("not a jhsm backup");
        }
    }

    private static int length(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IOException("bad length " + n);
        }
        return n;
    }

    private static byte[] aad(byte[] head, byte[] wrapped) {
        byte[] a = new byte[MAGIC.length + head.length + wrapped.length];
        System.arraycopy(MAGIC, 0, a, 0, MAGIC.length);
        System.arraycopy(head, 0, a, MAGIC.length, head.length);
        System.arraycopy(wrapped, 0, a, MAGIC.length + head.length, wrapped.length);
        return a;
    }

    private static HsmException corrupt(Path file, Exception e) {
        return new HsmException(Code.INTEGRITY, "backup " + file.getFileName() + " is corrupt or was modified ("
                + e.getClass().getSimpleName() + "): refused", 0, e);
    }
}
