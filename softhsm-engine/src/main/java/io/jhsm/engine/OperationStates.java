package io.jhsm.engine;

import io.jhsm.engine.mechanism.DigestOperation;
import io.jhsm.engine.session.ActiveOperation;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.session.Session;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * C_GetOperationState and C_SetOperationState for digests (what SunPKCS11's MessageDigest.clone()
 * needs). The saved state handed to the caller is an unguessable reference to a copy kept in this
 * process, so no internal state — and never key material — leaves the module; a state from another
 * process or an evicted one is CKR_SAVED_STATE_INVALID, which the specification allows.
 */
final class OperationStates {
    private static final byte[] MAGIC = {'J', 'H', 'S', 'T'};
    private static final int STATE_LENGTH = MAGIC.length + 16;
    /** Saved states are kept for the last few thousand saves: enough for cloning, bounded for memory. */
    private static final int KEPT = 4096;

    private record Saved(DigestOperation digest, boolean started) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Saved> saved = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Saved> eldest) {
            return size() > KEPT;
        }
    };

    int get(Session s, byte[] out) {
        synchronized (s) {
            Set<OperationKind> active = s.activeKinds();
            active.remove(OperationKind.FIND);
            if (active.isEmpty()) {
                throw new CkException(CKR.OPERATION_NOT_INITIALIZED, "no operation to save");
            }
            if (!active.equals(Set.of(OperationKind.DIGEST))) {
                throw new CkException(CKR.STATE_UNSAVEABLE, "only digest state can be saved");
            }
            if (out == null) {
                return STATE_LENGTH;
            }
            if (out.length < STATE_LENGTH) {
                throw new BufferTooSmallException(STATE_LENGTH);
            }
            ActiveOperation<DigestOperation> op = s.active(OperationKind.DIGEST);
            byte[] id = new byte[16];
            random.nextBytes(id);
            Saved copy = new Saved(op.operation().copy(), op.started());
            synchronized (saved) {
                saved.put(HexFormat.of().formatHex(id), copy);
            }
            ByteBuffer.wrap(out).put(MAGIC).put(id);
            return STATE_LENGTH;
        }
    }

    void set(Session s, byte[] state, long hEncryptionKey, long hAuthenticationKey) {
        if (state == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no state");
        }
        if (hEncryptionKey != 0 || hAuthenticationKey != 0) {
            throw new CkException(CKR.KEY_NOT_NEEDED, "a digest state needs no key");
        }
        if (state.length != STATE_LENGTH || !Arrays.equals(MAGIC, Arrays.copyOf(state, MAGIC.length))) {
            throw new CkException(CKR.SAVED_STATE_INVALID, "not a jhsm operation state");
        }
        Saved found;
        synchronized (saved) {
            found = saved.get(HexFormat.of().formatHex(state, MAGIC.length, STATE_LENGTH));
        }
        if (found == null) {
            throw new CkException(CKR.SAVED_STATE_INVALID, "unknown or expired operation state");
        }
        synchronized (s) {
            s.restore(OperationKind.DIGEST, found.digest().copy(), found.started());
        }
    }
}
