package io.jhsm.engine.session;

import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * An operation in a session's slot, with the PKCS#11 output protocol (base specification §5.2):
 * <ul>
 *   <li>a length query (no output buffer), and a buffer smaller than the mechanism's output bound, are
 *       answered from that bound and consume nothing, so whatever call comes next behaves as if they had
 *       not been made (CKR_BUFFER_TOO_SMALL keeps the operation);</li>
 *   <li>only where a mechanism cannot bound its output is the step computed first; an output that then
 *       does not fit is held for the same call with the same input only, and another call gets
 *       CKR_OPERATION_ACTIVE instead of someone else's output;</li>
 *   <li>any other error ends the operation.</li>
 * </ul>
 */
public final class ActiveOperation<T> {
    private final Session session;
    private final OperationKind kind;
    private final T operation;
    /** A computed step output waiting for a larger buffer, and the call it belongs to. */
    private Held held;
    private boolean multiPartStarted;
    /** The key the operation was initialised with (C_SetOperationState checks it); 0 for digests. */
    private long keyHandle;
    /** The key has CKA_ALWAYS_AUTHENTICATE: nothing runs until C_Login(CKU_CONTEXT_SPECIFIC) succeeds. */
    private boolean awaitingContextLogin;

    /** Checks each call's data length before it is used (a token profile's data-size limit); none by default. */
    private IntConsumer dataCheck = NO_CHECK;
    private static final IntConsumer NO_CHECK = length -> { };

    ActiveOperation(Session session, OperationKind kind, T operation) {
        this.session = session;
        this.kind = kind;
        this.operation = operation;
    }

    public T operation() {
        return operation;
    }

    /** The calls whose output the protocol delivers; a held output goes back only to the call that made it. */
    public enum Step { SINGLE_PART, UPDATE, FINAL, DUAL_UPDATE }

    private record Held(Step step, byte[] input, byte[] output) {
        boolean answers(Step s, byte[] in) {
            return step == s && Arrays.equals(input, in);
        }
    }

    /** A single-part call (C_Encrypt, C_Sign …) after an update is refused, and like any error it ends the operation. */
    public void requireNotStarted() {
        if (multiPartStarted) {
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

    /** Each later call's data goes through {@code check}, which throws to refuse it; a refusal ends the operation. */
    public void checkDataWith(IntConsumer check) {
        dataCheck = check == null ? NO_CHECK : check;
    }

    /** Refuses (and ends the operation) when the data is longer than the operation accepts. */
    public void checkData(int length) {
        try {
            dataCheck.accept(length);
        } catch (CkException refused) {
            end();
            throw refused;
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
        return held != null;
    }

    public boolean started() {
        return multiPartStarted;
    }

    public void markStarted() {
        multiPartStarted = true;
    }

    /**
     * Delivers one step's output into {@code out} (null: length query). {@code bound} gives an upper
     * bound of the output without running the step; a buffer below it gets CKR_BUFFER_TOO_SMALL with
     * the bound (negative when the mechanism cannot tell: the step then runs and an output that does
     * not fit is held for this call). {@code last} ends the operation once the
     * output is delivered. Any failure while computing ends it at once.
     */
    public int deliver(byte[] out, boolean last, Step step, byte[] input, IntSupplier bound, Supplier<byte[]> compute) {
        checkContextLogin();
        byte[] output;
        if (held != null) {
            if (!held.answers(step, input)) {
                end();
                throw new CkException(CKR.OPERATION_ACTIVE,
                        "an output computed for an earlier call waits for that call with the same input (" + held.step() + ")");
            }
            output = held.output();
        } else {
            int length = bound.getAsInt();
            if (length >= 0 && (out == null || out.length < length)) {
                if (out == null) {
                    return length;
                }
                throw new BufferTooSmallException(length);
            }
            output = run(compute);
        }
        if (out == null || out.length < output.length) {
            if (held == null) {
                held = new Held(step, input == null ? null : input.clone(), output);
            }
            if (out == null) {
                return output.length;
            }
            throw new BufferTooSmallException(output.length);
        }
        System.arraycopy(output, 0, out, 0, output.length);
        held = null;
        if (last) {
            end();
        }
        return output.length;
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
