package io.jhsm.engine.function;

import io.jhsm.engine.cloudhsm.ClusterState;
import io.jhsm.engine.cloudhsm.Passwords;
import io.jhsm.engine.profile.CloudHsmFunctions;
import io.jhsm.engine.session.ActiveOperation;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.session.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import io.jhsm.engine.token.LoginState;
import io.jhsm.engine.token.Token;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;

/** Session and login functions, with the session-state rules of PKCS#11 §5.6 and §5.7. */
public final class SessionAndLoginCalls {
    private final ModuleState m;
    /** Tokens known to be initialised and past cluster initialisation: C_OpenSession's hot path. */
    private final java.util.Set<Token> openable = java.util.concurrent.ConcurrentHashMap.newKeySet();

    SessionAndLoginCalls(ModuleState m) {
        this.m = m;
    }

    /** C_OpenSession; {@code notify}: the application gave a Notify callback, which a cloudhsm-profile token refuses. */
    public long open(long slotId, long flags, boolean notify) {
        Token t = m.token(slotId);
        if (notify) {
            CloudHsmFunctions.requireNoNotify(t);
        }
        if ((flags & CKF.SERIAL_SESSION) == 0) {
            throw new CkException(CKR.SESSION_PARALLEL_NOT_SUPPORTED, "CKF_SERIAL_SESSION must be set");
        }
        if (!openable.contains(t)) {
            if (!t.initialized() || ClusterState.of(directory(t)) == ClusterState.UNINITIALIZED) {
                throw new CkException(CKR.TOKEN_NOT_RECOGNIZED, "slot " + slotId + " (" + directory(t)
                        + "): the token is not initialised; initialise it with C_InitToken (pkcs11-tool --init-token),"
                        + " or a cluster with 'jhsm cluster initialize' and 'activate'");
            }
            // Neither answer goes back once given, so later opens skip the store and the cluster file.
            openable.add(t);
        }
        boolean rw = (flags & CKF.RW_SESSION) != 0;
        synchronized (t) {
            LoginState login = t.login();
            if (!rw && login != null && login.isOfficer()) {
                throw new CkException(CKR.SESSION_READ_WRITE_SO_EXISTS);
            }
            return m.open(t, rw).handle();
        }
    }

    public void close(long hSession) {
        Session s = m.session(hSession);
        Token t = s.token();
        synchronized (t) {
            if (m.close(s)) {
                t.allSessionsClosed();
            }
        }
    }

    public void closeAll(long slotId) {
        Token t = m.token(slotId);
        synchronized (t) {
            for (Session s : m.sessionsOf(t)) {
                m.close(s);
            }
            t.allSessionsClosed();
        }
    }

    public void login(long hSession, long userType, byte[] pin) {
        Session s = m.session(hSession);
        Token t = s.token();
        if (userType != CKU.SO && userType != CKU.USER && userType != CKU.CONTEXT_SPECIFIC) {
            throw new CkException(CKR.USER_TYPE_INVALID);
        }
        synchronized (t) {
            LoginState login = t.login();
            if (userType == CKU.CONTEXT_SPECIFIC) {
                synchronized (s) {
                    ActiveOperation<?> op = s.awaitingContextLogin();
                    if (op == null) {
                        throw new CkException(CKR.OPERATION_NOT_INITIALIZED, "no operation needs a context-specific login");
                    }
                    t.reauthenticate(pin);
                    op.contextLoggedIn();
                }
                return;
            }
            if (login != null) {
                throw new CkException(login.role() == userType ? CKR.USER_ALREADY_LOGGED_IN : CKR.USER_ANOTHER_ALREADY_LOGGED_IN);
            }
            if (userType == CKU.SO && m.sessionsOf(t).stream().anyMatch(x -> !x.readWrite())) {
                throw new CkException(CKR.SESSION_READ_ONLY_EXISTS);
            }
            t.logIn(userType, pin);
        }
    }

    /** C_LoginUser's PIN as C_Login takes it, "user:password" (CloudHSM's form), for the same checks and audit. */
    public byte[] namedPin(long hSession, byte[] pin, byte[] username) {
        m.sessionFor(hSession, "C_LoginUser");
        if (username == null || pin == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no user name or PIN");
        }
        return (new String(username, StandardCharsets.UTF_8) + ":" + new String(pin, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
    }

    public void logout(long hSession) {
        Token t = m.session(hSession).token();
        synchronized (t) {
            if (t.login() == null) {
                throw new CkException(CKR.USER_NOT_LOGGED_IN);
            }
            t.logOut();
        }
    }

    public void initPin(long hSession, byte[] pin) {
        Session s = m.sessionFor(hSession, "C_InitPIN");
        LoginState login = s.token().login();
        if (login == null || !login.isOfficer()) {
            throw new CkException(CKR.USER_NOT_LOGGED_IN, "C_InitPIN needs the crypto officer");
        }
        if (!s.readWrite()) {
            throw new CkException(CKR.SESSION_READ_ONLY);
        }
        if (ClusterState.of(directory(s.token())) != ClusterState.ACTIVE) {
            throw new CkException(CKR.PIN_EXPIRED, "the cluster is not activated: the admin must first change its password");
        }
        s.token().initUserPin(pin);
    }

    private Path directory(Token t) {
        return m.config.tokenDirectory((int) t.slotId());
    }

    public void setPin(long hSession, byte[] oldPin, byte[] newPin) {
        Session s = m.sessionFor(hSession, "C_SetPIN");
        if (!s.readWrite()) {
            throw new CkException(CKR.SESSION_READ_ONLY);
        }
        if (oldPin == null || newPin == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no PIN");
        }
        Token t = s.token();
        Path dir = directory(t);
        LoginState login = t.login();
        boolean activates = ClusterState.of(dir) == ClusterState.INITIALIZED && login != null && login.isOfficer();
        if (activates) {
            Passwords.check(io.jhsm.engine.token.Pins.parse(newPin, login.role()).password());
        }
        t.changePin(oldPin, newPin);
        if (activates) {
            // The unactivated admin setting its password is what activates a CloudHSM cluster.
            ClusterState.set(dir, ClusterState.ACTIVE);
        }
    }

    /** C_SessionCancel (PKCS#11 3.0): ends the session's operations named by the CKF_ flags. */
    public void cancel(long hSession, long flags) {
        Session s = m.sessionFor(hSession, "C_SessionCancel");
        synchronized (s) {
            cancel(s, flags, CKF.ENCRYPT, OperationKind.ENCRYPT);
            cancel(s, flags, CKF.DECRYPT, OperationKind.DECRYPT);
            cancel(s, flags, CKF.DIGEST, OperationKind.DIGEST);
            cancel(s, flags, CKF.SIGN, OperationKind.SIGN);
            cancel(s, flags, CKF.VERIFY, OperationKind.VERIFY);
            cancel(s, flags, CKF.VERIFY, OperationKind.VERIFY_SIGNATURE);
            cancel(s, flags, CKF.SIGN_RECOVER, OperationKind.SIGN_RECOVER);
            cancel(s, flags, CKF.VERIFY_RECOVER, OperationKind.VERIFY_RECOVER);
            cancel(s, flags, CKF.FIND_OBJECTS, OperationKind.FIND);
            cancel(s, flags, CKF.MESSAGE_ENCRYPT, OperationKind.MESSAGE_ENCRYPT);
            cancel(s, flags, CKF.MESSAGE_DECRYPT, OperationKind.MESSAGE_DECRYPT);
            cancel(s, flags, CKF.MESSAGE_SIGN, OperationKind.MESSAGE_SIGN);
            cancel(s, flags, CKF.MESSAGE_VERIFY, OperationKind.MESSAGE_VERIFY);
        }
    }

    private static void cancel(Session s, long flags, long flag, OperationKind kind) {
        if ((flags & flag) != 0) {
            try {
                s.active(kind).end();
            } catch (CkException notActive) {
                // nothing to cancel of this kind
            }
        }
    }

    /** C_GetSessionValidationFlags: jhsm holds no validation (no FIPS 140 or Common Criteria certificate). */
    public long validationFlags(long hSession, long type) {
        m.sessionFor(hSession, "C_GetSessionValidationFlags");
        if (type != CKS.LAST_VALIDATION_OK) {
            throw new CkException(CKR.ARGUMENTS_BAD, "unknown validation flags type " + type);
        }
        return 0;
    }
}
