package io.jhsm.engine.function;

import io.jhsm.engine.mechanism.DigestOperation;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.SavedStates;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.engine.session.ActiveOperation;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.session.Session;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * C_GetOperationState and C_SetOperationState for digests, and for signatures, verifications and
 * MACs whose implementation can copy its running state (HMAC, and the hashing RSA and ECDSA
 * mechanisms): what SunPKCS11's MessageDigest.clone() and OpenSSL's context duplication need.
 *
 * <p>The saved state handed to the caller is an unguessable reference to a copy kept in this process,
 * so no internal state — and never key material — leaves the module; a state from another process or
 * an evicted one is CKR_SAVED_STATE_INVALID, which the specification allows. A signing state is
 * restored only when the caller names the key as hAuthenticationKey and that key is visible to the
 * restoring session, so holding the reference alone never lets a session sign with a key it cannot
 * see. Keys that need a fresh authorisation per use (CKA_ALWAYS_AUTHENTICATE, a quorum above 1)
 * never have their operations saved: a copy would be a second use of one authorisation.
 */
public final class OperationStates {
    private static final byte[] MAGIC = {'J', 'H', 'S', 'T'};
    private static final int STATE_LENGTH = MAGIC.length + 16;
    /** Saved states are kept for the last few thousand saves: enough for cloning, bounded for memory. */
    private static final int KEPT = 4096;
    private static final Set<OperationKind> SAVEABLE = Set.of(OperationKind.DIGEST, OperationKind.SIGN, OperationKind.VERIFY);

    private record SavedOperation(Object operation, boolean started) {}

    /** The copies, the slot they came from, and the one sign/verify key they need (0 when none). */
    private record Saved(long slotId, Map<OperationKind, SavedOperation> operations, long authenticationKey) {}

    private final Map<String, Saved> saved = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Saved> eldest) {
            return size() > KEPT;
        }
    };

    public int get(Session s, byte[] out) {
        synchronized (s) {
            Set<OperationKind> active = s.activeKinds();
            active.remove(OperationKind.FIND);
            if (active.isEmpty()) {
                throw new CkException(CKR.OPERATION_NOT_INITIALIZED, "no operation to save");
            }
            if (!SAVEABLE.containsAll(active)) {
                throw new CkException(CKR.STATE_UNSAVEABLE, "only digest, signature and MAC state can be saved");
            }
            if (out == null) {
                return STATE_LENGTH;
            }
            if (out.length < STATE_LENGTH) {
                throw new BufferTooSmallException(STATE_LENGTH);
            }
            Saved copy = copyOf(s, active);
            byte[] id = new byte[16];
            LazyRandom.get().nextBytes(id);
            synchronized (saved) {
                saved.put(HexFormat.of().formatHex(id), copy);
            }
            ByteBuffer.wrap(out).put(MAGIC).put(id);
            return STATE_LENGTH;
        }
    }

    private static Saved copyOf(Session s, Set<OperationKind> active) {
        Map<OperationKind, SavedOperation> copies = new EnumMap<>(OperationKind.class);
        long key = 0;
        for (OperationKind kind : active) {
            ActiveOperation<?> op = s.active(kind);
            if (op.hasPendingOutput()) {
                throw new CkException(CKR.STATE_UNSAVEABLE, kind + " has computed its output already");
            }
            if (kind != OperationKind.DIGEST) {
                if (key != 0 && key != op.keyHandle()) {
                    throw new CkException(CKR.STATE_UNSAVEABLE, "signing and verifying with two keys cannot share one hAuthenticationKey");
                }
                key = op.keyHandle();
                requireCopiesAllowed(s, key);
            }
            copies.put(kind, new SavedOperation(copy(op.operation()), op.started()));
        }
        return new Saved(s.token().slotId(), copies, key);
    }

    /** A copy of an operation would be a second use of a key that authorises each use separately. */
    private static void requireCopiesAllowed(Session s, long keyHandle) {
        HsmObject key = s.token().visibleObject(keyHandle);
        if (key == null || key.flag(CKA.ALWAYS_AUTHENTICATE) || key.ulongOr(JhsmAttributes.USE_QUORUM, 0) > 1) {
            throw new CkException(CKR.STATE_UNSAVEABLE, "the key authorises one operation per login or quorum approval");
        }
    }

    private static Object copy(Object operation) {
        if (operation instanceof DigestOperation d) {
            return d.copy();
        }
        if (operation instanceof SignOperation sign) {
            return sign.copy();
        }
        if (operation instanceof VerifyOperation verify) {
            return verify.copy();
        }
        throw SavedStates.unsaveable();
    }

    public void set(Session s, byte[] state, long hEncryptionKey, long hAuthenticationKey) {
        if (state == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no state");
        }
        if (state.length != STATE_LENGTH || !Arrays.equals(MAGIC, Arrays.copyOf(state, MAGIC.length))) {
            throw new CkException(CKR.SAVED_STATE_INVALID, "not a jhsm operation state");
        }
        Saved found;
        synchronized (saved) {
            found = saved.get(HexFormat.of().formatHex(state, MAGIC.length, STATE_LENGTH));
        }
        if (found == null || found.slotId() != s.token().slotId()) {
            throw new CkException(CKR.SAVED_STATE_INVALID, "unknown or expired operation state, or one from another token");
        }
        if (hEncryptionKey != 0) {
            throw new CkException(CKR.KEY_NOT_NEEDED, "no encryption or decryption state is ever saved");
        }
        synchronized (s) {
            requireAuthenticationKey(s, found, hAuthenticationKey);
            s.endAll();
            for (Map.Entry<OperationKind, SavedOperation> e : found.operations().entrySet()) {
                SavedOperation op = e.getValue();
                s.restore(e.getKey(), copy(op.operation()), op.started(), found.authenticationKey());
            }
        }
    }

    /** The caller names the saved operations' key again; the restoring session must still see it, with its usage flags. */
    private static void requireAuthenticationKey(Session s, Saved found, long given) {
        long savedKey = found.authenticationKey();
        if (savedKey == 0) {
            if (given != 0) {
                throw new CkException(CKR.KEY_NOT_NEEDED, "a digest state needs no key");
            }
            return;
        }
        if (given == 0) {
            throw new CkException(CKR.KEY_NEEDED, "a signature or MAC state needs its key as hAuthenticationKey");
        }
        HsmObject key = s.token().visibleObject(given);
        if (given != savedKey || key == null) {
            throw new CkException(CKR.KEY_CHANGED, "not the key the saved operation was using");
        }
        if (found.operations().containsKey(OperationKind.SIGN) && !key.flag(CKA.SIGN)
                || found.operations().containsKey(OperationKind.VERIFY) && !key.flag(CKA.VERIFY)) {
            throw new CkException(CKR.KEY_CHANGED, "the key no longer permits the saved operation");
        }
    }
}
