package io.jhsm.engine.session;

import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.function.Supplier;

/**
 * An operation in a session's slot, with the PKCS#11 output protocol: the output of a step is
 * computed once and held until the caller offers a buffer large enough for it, so a length query
 * or a CKR_BUFFER_TOO_SMALL neither ends the operation nor repeats the work.
 */
public final class ActiveOperation<T> {
    private final Session session;
    private final OperationKind kind;
    private final T operation;
    private byte[] pending;
    private boolean multiPartStarted;
    /** The key the operation was initialised with (C_SetOperationState checks it); 0 for digests. */
    private long keyHandle;
    /** The key has CKA_ALWAYS_AUTHENTICATE: nothing runs until C_Login(CKU_CONTEXT_SPECIFIC) succeeds. */
    private boolean awaitingContextLogin;

    ActiveOperation(Session session, OperationKind kind, T operation) {
        this.session = session;
        this.kind = kind;
        this.operation = operation;
    }

    public T operation() {
        return operation;
    }

    /** A single-part call (C_Encrypt, C_Sign …) after an update is refused, and like any error it ends the operation. */
    public void requireNotStarted() {
        if (multiPartStarted && pending == null) {
            end();
            throw new CkException(CKR.OPERATION_ACTIVE, "a multi-part operation is in progress; finish it with the Final call");
        }
    }

    public void requireContextLogin() {
        awaitingContextLogin = true;
    }

    public boolean awaitingContextLogin() {
        return awaitingContextLogin;
    }

    public void contextLoggedIn() {
        awaitingContextLogin = false;
    }

    private void checkContextLogin() {
        if (awaitingContextLogin) {
            end();
            throw new CkException(CKR.USER_NOT_LOGGED_IN, "the key needs C_Login(CKU_CONTEXT_SPECIFIC) first");
        }
    }

    public long keyHandle() {
        return keyHandle;
    }

    public void usingKey(long handle) {
        keyHandle = handle;
    }

    /** A computed step output still waits for a large enough buffer: the operation's own state is already spent. */
    public boolean hasPendingOutput() {
        return pending != null;
    }

    public boolean started() {
        return multiPartStarted;
    }

    public void markStarted() {
        multiPartStarted = true;
    }

    /**
     * Delivers one step's output into {@code out} (null: length query). {@code last} ends the
     * operation once the output is delivered. Any failure while computing ends it at once.
     */
    public int deliver(byte[] out, boolean last, Supplier<byte[]> step) {
        checkContextLogin();
        if (pending == null) {
            pending = run(step);
        }
        if (out == null) {
            return pending.length;
        }
        if (out.length < pending.length) {
            throw new BufferTooSmallException(pending.length);
        }
        int n = pending.length;
        System.arraycopy(pending, 0, out, 0, n);
        pending = null;
        if (last) {
            end();
        }
        return n;
    }

    /** Runs a step that produces no output (an update, a verification); a failure ends the operation. */
    public <R> R run(Supplier<R> step) {
        checkContextLogin();
        try {
            return step.get();
        } catch (RuntimeException e) {
            end();
            throw e;
        }
    }

    public void end() {
        session.end(kind, this);
    }
}
