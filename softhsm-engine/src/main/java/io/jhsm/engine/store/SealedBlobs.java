package io.jhsm.engine.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM sealing of what the database stores secretly (object attributes, PIN verifiers).
 *
 * <p>Blob: {@code version(1 byte, = 1) | nonce(12, random) | ciphertext | tag(16)}. The associated
 * data binds each blob to its place: {@code domain | version | owner}, where the domain says what
 * kind of row it is ("jhsm/object", "jhsm/user", "jhsm/key-check", "jhsm/command") and the owner is
 * the object id (8 bytes, big-endian), the user name (UTF-8), or a replicated command's kind and header. A blob copied into another row, or an object
 * blob put in a user row, fails to open.
 */
public final class SealedBlobs {

    public static final int VERSION = 1;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    /** Bytes a sealed blob adds to its plaintext. */
    public static final int OVERHEAD = 1 + NONCE_LENGTH + TAG_BITS / 8;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();
    /** Cipher.getInstance costs more than sealing a small blob; one instance per thread. */
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(SealedBlobs::newCipher);

    public SealedBlobs(SecretKey key) {
        this.key = key;
    }

    public static byte[] objectAad(long id) {
        return aad("jhsm/object", ByteBuffer.allocate(8).putLong(id).array());
    }

    public static byte[] userAad(String name) {
        return aad("jhsm/user", name.getBytes(StandardCharsets.UTF_8));
    }

    /** A replicated command's body: bound to its kind and to the command's clear header (its audit record). */
    public static byte[] commandAad(int kind, byte[] header) {
        return aad("jhsm/command", ByteBuffer.allocate(1 + header.length).put((byte) kind).put(header).array());
    }

    public static byte[] keyCheckAad() {
        return aad("jhsm/key-check", new byte[0]);
    }

    private static byte[] aad(String domain, byte[] owner) {
        byte[] d = domain.getBytes(StandardCharsets.US_ASCII);
        // The domain strings contain no 0 byte, so the 0 separator keeps the encoding unambiguous.
        return ByteBuffer.allocate(d.length + 2 + owner.length).put(d).put((byte) 0).put((byte) VERSION)
                .put(owner).array();
    }

    public byte[] seal(byte[] aad, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            byte[] out = new byte[1 + NONCE_LENGTH + c.getOutputSize(plaintext.length)];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
            c.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_LENGTH);
            return out;
        } catch (GeneralSecurityException e) {
            throw new TokenStoreException("sealing failed", e);
        }
    }

    /** Opens a blob sealed with the same associated data; TamperedBlobException otherwise. */
    public byte[] open(byte[] aad, byte[] blob, String what) {
        if (blob == null || blob.length < OVERHEAD || blob[0] != VERSION) {
            throw new TamperedBlobException(what + ": not a sealed blob of a known version", null);
        }
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, blob, 1, NONCE_LENGTH));
            c.updateAAD(aad);
            return c.doFinal(blob, 1 + NONCE_LENGTH, blob.length - 1 - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw new TamperedBlobException(what + ": authentication failed (tampered, moved, or wrong device key)", e);
        } catch (GeneralSecurityException e) {
            throw new TokenStoreException(what + ": cannot open sealed blob", e);
        }
    }

    private static Cipher newCipher() {
        try {
            // Named: a plain getInstance walks and loads the providers before SunJCE (SunJSSE among them), ~15 ms of
            // opening a token in a fresh process.
            return Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
    }
}
