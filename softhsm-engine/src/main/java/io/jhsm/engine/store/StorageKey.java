package io.jhsm.engine.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The simulated HSM's internal storage key: 32 random bytes in {@code device.key} (mode 0600),
 * kept apart from the database so that token.db alone cannot be opened.
 *
 * <p>File format: the 8-byte magic {@code "JHSMDK1\n"} then the 32 key bytes.
 */
public final class StorageKey {

    public static final String FILE_NAME = "device.key";
    private static final byte[] MAGIC = {'J', 'H', 'S', 'M', 'D', 'K', '1', '\n'};
    private static final int KEY_LENGTH = 32;

    private StorageKey() {}

    /** Reads the key file, or empty when it does not exist. */
    public static java.util.Optional<SecretKey> load(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new TokenStoreException("cannot read " + file + " (" + e + "): check that this user may read it", e);
        }
        if (content.length != MAGIC.length + KEY_LENGTH
                || !Arrays.equals(MAGIC, Arrays.copyOf(content, MAGIC.length))) {
            throw new TokenStoreException(file + " is not a jhsm device key (" + content.length + " bytes, expected "
                    + (MAGIC.length + KEY_LENGTH) + " starting with JHSMDK1): it is damaged; restore it from a backup"
                    + " of the token directory");
        }
        SecretKey key = new SecretKeySpec(content, MAGIC.length, KEY_LENGTH, "AES");
        Arrays.fill(content, (byte) 0);
        return java.util.Optional.of(key);
    }

    /**
     * Creates the key file unless some process already did, and returns whichever key is on disk.
     * The new key is written and synced under a temporary name, then hard-linked to its final name:
     * link(2) fails if the name exists, so two processes racing here agree on one key and nobody
     * ever sees a partially written key file.
     */
    public static SecretKey loadOrCreate(Path directory) {
        java.util.Optional<SecretKey> existing = load(directory);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] content = Arrays.copyOf(MAGIC, MAGIC.length + KEY_LENGTH);
        byte[] key = new byte[KEY_LENGTH];
        new SecureRandom().nextBytes(key);
        System.arraycopy(key, 0, content, MAGIC.length, KEY_LENGTH);
        Arrays.fill(key, (byte) 0);
        Path target = directory.resolve(FILE_NAME);
        Path temp = directory.resolve(FILE_NAME + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().getId() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")))) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException lostTheRace) {
                // Another process created it first: use theirs.
            }
            syncDirectory(directory);
        } catch (IOException e) {
            throw new TokenStoreException("cannot create " + target + " (" + e
                    + "): check that this user may write the token directory", e);
        } finally {
            Arrays.fill(content, (byte) 0);
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // A stale temporary file holds no key anyone uses; the next creation picks a new name.
            }
        }
        return load(directory).orElseThrow(() -> new TokenStoreException(target + " vanished after creation"));
    }

    /** Makes the new directory entry durable, so a crash cannot leave a database without its key. */
    private static void syncDirectory(Path directory) {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Not every file system lets a directory be opened for sync; the key file itself is synced.
        }
    }
}
