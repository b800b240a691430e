package io.jhsm.engine.function;

import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The IVs (GCM) or nonces (CCM) of one message-based encryption operation, formed by the message's
 * CK_GENERATOR_FUNCTION. The first {@code fixedBits} bits (from the most significant bit) are the
 * caller's; the token fills the rest:
 * <ul>
 *   <li>CKG_NO_GENERATE: the caller's IV as it is;</li>
 *   <li>CKG_GENERATE and CKG_GENERATE_COUNTER: a per-operation counter, big-endian in the low bits
 *       (SP 800-38D's deterministic construction; it never repeats until it runs out);</li>
 *   <li>CKG_GENERATE_COUNTER_XOR: the caller's IV with the counter XORed into the low bits (the
 *       TLS 1.3 nonce construction);</li>
 *   <li>CKG_GENERATE_RANDOM: random bits.</li>
 * </ul>
 * A key+IV pair must never encrypt twice (for GCM that reveals the authentication key), so every IV
 * this operation used is remembered and a repeat — typically a caller's CKG_NO_GENERATE IV — is
 * refused with CKR_MECHANISM_PARAM_INVALID (PKCS#11 names no code for it; the parameter is what is
 * wrong). Memory is bounded: the last {@value #REMEMBERED} IVs are remembered.
 */
final class MessageIvs {
    static final int REMEMBERED = 1 << 16;
    private static final int RANDOM_TRIES = 16;

    private long counter;
    private final Set<ByteBuffer> used = Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    /** The IV to encrypt the next message with; nothing is recorded until {@link #commit}. */
    byte[] next(byte[] callerIv, long fixedBits, long generator) {
        if (generator == CKG.NO_GENERATE) {
            requireUnused(callerIv);
            return callerIv.clone();
        }
        long bits = 8L * callerIv.length;
        if (fixedBits < 0 || fixedBits >= bits) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "fixed bits " + fixedBits + " leave nothing to generate in a "
                    + bits + "-bit IV");
        }
        int generated = (int) (bits - fixedBits);
        if (generator == CKG.GENERATE_RANDOM) {
            for (int i = 0; i < RANDOM_TRIES; i++) {
                byte[] r = new byte[callerIv.length];
                LazyRandom.get().nextBytes(r);
                byte[] iv = merge(callerIv, r, fixedBits, false);
                if (!used.contains(ByteBuffer.wrap(iv))) {
                    return iv;
                }
            }
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "no unused random IV in " + generated + " bits");
        }
        if (generator != CKG.GENERATE && generator != CKG.GENERATE_COUNTER && generator != CKG.GENERATE_COUNTER_XOR) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "unknown IV generator " + generator);
        }
        if (generated < 64 && counter >>> generated != 0) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "the " + generated + "-bit IV counter is exhausted");
        }
        byte[] c = new byte[callerIv.length];
        for (int i = 0; i < Math.min(8, c.length); i++) {
            c[c.length - 1 - i] = (byte) (counter >>> (8 * i));
        }
        byte[] iv = merge(callerIv, c, fixedBits, generator == CKG.GENERATE_COUNTER_XOR);
        requireUnused(iv);
        return iv;
    }

    /** The message encrypted with {@code iv}: from now on it is used. */
    void commit(byte[] iv, long generator) {
        used.add(ByteBuffer.wrap(iv.clone()));
        if (generator != CKG.NO_GENERATE && generator != CKG.GENERATE_RANDOM) {
            counter++;
        }
    }

    private void requireUnused(byte[] iv) {
        if (used.contains(ByteBuffer.wrap(iv))) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "this IV already encrypted a message under this key");
        }
    }

    /** The caller's first fixedBits bits, then {@code generated} (replacing, or XORed onto, the caller's bits). */
    static byte[] merge(byte[] caller, byte[] generated, long fixedBits, boolean xor) {
        byte[] out = new byte[caller.length];
        for (int i = 0; i < out.length; i++) {
            long firstBit = 8L * i;
            int keep;
            if (firstBit + 8 <= fixedBits) {
                keep = 0xFF;
            } else if (firstBit >= fixedBits) {
                keep = 0;
            } else {
                keep = (0xFF << (8 - (int) (fixedBits - firstBit))) & 0xFF;
            }
            int g = xor ? (caller[i] ^ generated[i]) : generated[i];
            out[i] = (byte) ((caller[i] & keep) | (g & ~keep & 0xFF));
        }
        return out;
    }
}
