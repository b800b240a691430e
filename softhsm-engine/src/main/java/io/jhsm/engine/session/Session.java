package io.jhsm.engine.session;

import io.jhsm.engine.token.LoginState;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.CkSessionInfo;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One session: its token, whether it is read/write, and its active operations. A session is used
 * by one thread at a time (callers synchronise on it); PKCS#11 leaves concurrent use of one session
 * to the application, and the lock keeps it from corrupting state.
 */
public final class Session {
    private final long handle;
    private final Token token;
    private final boolean readWrite;
    private final Map<OperationKind, Object> operations = new EnumMap<>(OperationKind.class);

    public Session(long handle, Token token, boolean readWrite) {
        this.handle = handle;
        this.token = token;
        this.readWrite = readWrite;
    }

    public long handle() {
        return handle;
    }

    public Token token() {
        return token;
    }

    public boolean readWrite() {
        return readWrite;
    }

    /** The PKCS#11 session state, derived from the token's login state and this session's flags. */
    public long state() {
        LoginState login = token.login();
        if (login == null) {
            return readWrite ? CKS.RW_PUBLIC_SESSION : CKS.RO_PUBLIC_SESSION;
        }
        if (login.isOfficer()) {
            return CKS.RW_SO_FUNCTIONS;
        }
        return readWrite ? CKS.RW_USER_FUNCTIONS : CKS.RO_USER_FUNCTIONS;
    }

    public CkSessionInfo info() {
        return new CkSessionInfo(token.slotId(), state(), CKF.SERIAL_SESSION | (readWrite ? CKF.RW_SESSION : 0), 0);
    }

    /** Starts an operation of this kind; CKR_OPERATION_ACTIVE if one is running. */
    public synchronized <T> ActiveOperation<T> begin(OperationKind kind, Supplier<T> init) {
        if (operations.containsKey(kind)) {
            throw new CkException(CKR.OPERATION_ACTIVE, kind + " already active");
        }
        ActiveOperation<T> op = new ActiveOperation<>(this, kind, init.get());
        operations.put(kind, op);
        return op;
    }

    /** The operation waiting for C_Login(CKU_CONTEXT_SPECIFIC), or null. */
    public synchronized ActiveOperation<?> awaitingContextLogin() {
        for (Object op : operations.values()) {
            if (((ActiveOperation<?>) op).awaitingContextLogin()) {
                return (ActiveOperation<?>) op;
            }
        }
        return null;
    }

    /** The active operation of this kind; CKR_OPERATION_NOT_INITIALIZED if none. */
    @SuppressWarnings("unchecked")
    public synchronized <T> ActiveOperation<T> active(OperationKind kind) {
        Object op = operations.get(kind);
        if (op == null) {
            throw new CkException(CKR.OPERATION_NOT_INITIALIZED, kind + " not initialised");
        }
        return (ActiveOperation<T>) op;
    }

    /** The kinds of operation now active (C_GetOperationState saves only what it can). */
    public synchronized java.util.Set<OperationKind> activeKinds() {
        return java.util.EnumSet.copyOf(operations.isEmpty() ? java.util.EnumSet.noneOf(OperationKind.class) : operations.keySet());
    }

    /** C_SetOperationState: installs a restored operation of this kind (the caller has cleared the session). */
    public synchronized <T> void restore(OperationKind kind, T operation, boolean started, long keyHandle) {
        ActiveOperation<T> op = new ActiveOperation<>(this, kind, operation);
        if (started) {
            op.markStarted();
        }
        op.usingKey(keyHandle);
        operations.put(kind, op);
    }

    /** PKCS#11 3.0: an Init call with a NULL mechanism cancels the active operation of its kind, if any. */
    public synchronized void cancel(OperationKind kind) {
        operations.remove(kind);
    }

    synchronized void end(OperationKind kind, ActiveOperation<?> op) {
        operations.remove(kind, op);
    }

    public synchronized void endAll() {
        operations.clear();
    }

    @Override
    public String toString() {
        return "session " + handle;
    }
}
