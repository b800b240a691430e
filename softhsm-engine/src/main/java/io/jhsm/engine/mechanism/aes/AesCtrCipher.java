package io.jhsm.engine.mechanism.aes;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.Providers;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.MechanismParams;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * CKM_AES_CTR. JCA's AES/CTR increments all 128 bits, but PKCS#11 increments only the low
 * ulCounterBits of the counter block, so we build the counter blocks ourselves and encrypt them in
 * one batch with AES/ECB (still AES-NI). Encryption and decryption are the same operation.
 */
final class AesCtrCipher implements CipherOperation {
    private static final int BLOCK = 16;

    private final Cipher ecb;
    private final byte[] counter;
    private final int counterBits;
    /** How many blocks the counter may still produce before it would repeat; Long.MAX_VALUE for 63+ bits. */
    private long blocksLeft;
    private final byte[] keystream = new byte[BLOCK];
    private int keystreamUsed = BLOCK;

    AesCtrCipher(SecretKeySpec key, MechanismParams.Ctr params) {
        long bits = params.counterBits();
        if (bits < 1 || bits > 128) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "ulCounterBits " + bits + " outside 1..128");
        }
        if (params.counterBlock() == null || params.counterBlock().length != BLOCK) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "counter block must be 16 bytes");
        }
        counterBits = (int) bits;
        counter = params.counterBlock().clone();
        blocksLeft = counterBits >= 63 ? Long.MAX_VALUE : 1L << counterBits;
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding", Providers.SUN_JCE);
            ecb.init(Cipher.ENCRYPT_MODE, key);
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, "AES init", e);
        }
    }

    @Override
    public byte[] update(byte[] part) {
        byte[] out = new byte[part.length];
        int i = 0;
        while (i < part.length && keystreamUsed < BLOCK) {
            out[i] = (byte) (part[i++] ^ keystream[keystreamUsed++]);
        }
        int remaining = part.length - i;
        if (remaining == 0) {
            return out;
        }
        int blocks = (remaining + BLOCK - 1) / BLOCK;
        byte[] stream = nextKeystream(blocks);
        int full = remaining / BLOCK * BLOCK;
        for (int j = 0; j < full; j++) {
            out[i + j] = (byte) (part[i + j] ^ stream[j]);
        }
        int tail = remaining - full;
        if (tail > 0) {
            // Keep the unused rest of the last keystream block for the next part.
            System.arraycopy(stream, full, keystream, 0, BLOCK);
            for (int j = 0; j < tail; j++) {
                out[i + full + j] = (byte) (part[i + full + j] ^ keystream[j]);
            }
            keystreamUsed = tail;
        }
        return out;
    }

    @Override
    public int outputBound(int partLength, boolean andFinal) {
        return partLength;
    }

    @Override
    public byte[] doFinal() {
        return new byte[0];
    }

    private byte[] nextKeystream(int blocks) {
        if (blocks > blocksLeft) {
            throw new CkException(CKR.DATA_LEN_RANGE, "the " + counterBits + "-bit counter would repeat");
        }
        blocksLeft -= blocks;
        byte[] counters = new byte[blocks * BLOCK];
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(counter, 0, counters, b * BLOCK, BLOCK);
            increment();
        }
        try {
            ecb.update(counters, 0, counters.length, counters, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("in-place ECB needs no extra room", e);
        }
        return counters;
    }

    /** Adds one to the low counterBits of the block, wrapping within those bits only. */
    private void increment() {
        int bitsLeft = counterBits;
        for (int idx = BLOCK - 1; idx >= 0 && bitsLeft > 0; idx--, bitsLeft -= 8) {
            int mask = bitsLeft >= 8 ? 0xFF : (1 << bitsLeft) - 1;
            int b = counter[idx] & 0xFF;
            int next = ((b & mask) + 1) & mask;
            counter[idx] = (byte) ((b & ~mask) | next);
            if (next != 0) {
                return;
            }
        }
    }
}
