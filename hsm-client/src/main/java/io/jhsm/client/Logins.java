package io.jhsm.client;

import static io.jhsm.protocol.WireBytes.of;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import io.jhsm.protocol.v1.Request;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.Session;
import java.util.Arrays;

/**
 * The application's login across the cluster: each HSM connection is an application of its own on that HSM,
 * so C_Login logs in on the session's HSM first (its CK_RV is the answer) and then on every other HSM the
 * application has sessions on, and on each HSM it opens a session on later, as CloudHSM's application logs
 * in once per slot (the cluster) and opens further sessions without logging in again
 * ([UG]/bp-application-integration.html); a session re-opened after its HSM's loss is logged in there too.
 * For that the PIN stays in memory, in a byte[] wiped at C_Logout, C_Finalize and when the application's last
 * session closes; it is never logged.
 */
final class Logins {
    private final HsmPool pool;
    private final SessionRouter router;
    private long userType;
    private byte[] pin;
    private byte[] username;
    private boolean active;

    Logins(HsmPool pool, SessionRouter router) {
        this.pool = pool;
        this.router = router;
    }

    /** C_Login / C_LoginUser ({@code username} null for C_Login). */
    Response login(long handle, long type, byte[] pinGiven, byte[] usernameGiven) {
        SessionRouter.Route primary = router.live(handle, Request.FunctionCase.LOGIN);
        long deadline = router.deadline(); // C_Login, on every HSM, within one call-timeout-ms
        Response first = router.send(primary, request(primary.nodeHandle(), type, pinGiven, usernameGiven), deadline);
        if (first.getRv() != CKR.OK || type == CKU.CONTEXT_SPECIFIC) {
            return first; // a context-specific login belongs to the one operation on that session's HSM
        }
        primary.member().loggedIn(primary.epoch());
        synchronized (this) {
            wipe();
            userType = type;
            pin = pinGiven == null ? null : pinGiven.clone();
            username = usernameGiven == null ? null : usernameGiven.clone();
            active = true;
        }
        for (HsmMember m : pool.members()) {
            SessionRouter.Route other = m == primary.member() || m.loggedIn() ? null : router.anyLiveOn(m);
            if (other != null) {
                join(other, primary.member(), deadline);
            }
        }
        return first;
    }

    /**
     * A session just opened or re-opened: log the application in on its HSM if it is logged in; false when that
     * failed. Sessions suspended by their HSM's loss are still the application's, so it stays logged in while it
     * has any (PKCS#11 logs it out when its last session closes).
     */
    boolean joinIfLoggedIn(SessionRouter.Route route) {
        synchronized (this) {
            if (!active) {
                return true;
            }
        }
        return route.member().loggedIn() || join(route, null, router.deadline());
    }

    private boolean join(SessionRouter.Route route, HsmMember first, long deadline) {
        Request login;
        synchronized (this) {
            if (!active) {
                return true;
            }
            login = request(route.nodeHandle(), userType, pin, username);
        }
        long rv;
        String why;
        try {
            Response r = router.send(route, login, deadline);
            rv = r.getRv();
            why = r.getMessage();
        } catch (CkException e) {
            rv = e.rv();
            why = e.getMessage();
        }
        if (rv == CKR.OK || rv == CKR.USER_ALREADY_LOGGED_IN) {
            route.member().loggedIn(route.epoch());
            return true;
        }
        route.member().loginRefused();
        ClientLog.get().problem(CKR.name(rv), "C_Login on HSM " + route.member().label() + " answered " + CKR.name(rv)
                + (why == null || why.isEmpty() ? "" : " (" + why + ")") + " where " + (first == null ? "the application's first HSM"
                        : "HSM " + first.label()) + " answered CKR_OK; the application stays logged out there and gets"
                + " no new sessions on it; check the HSM is in sync: jhsm cluster status");
        return false;
    }

    /** C_Logout: on the session's HSM (its CK_RV is the answer), then on every other HSM it is logged in on. */
    Response logout(long handle) {
        SessionRouter.Route primary = router.live(handle, Request.FunctionCase.LOGOUT);
        long deadline = router.deadline();
        Response first = router.send(primary, logoutRequest(primary), deadline);
        if (first.getRv() != CKR.OK) {
            return first;
        }
        primary.member().loggedOut();
        for (HsmMember m : pool.members()) {
            SessionRouter.Route other = m.loggedIn() ? router.anyLiveOn(m) : null;
            if (other != null) {
                try {
                    router.send(other, logoutRequest(other), deadline);
                } catch (CkException gone) {
                    // an HSM that cannot be reached logged the application out when the connection ended
                }
                m.loggedOut();
            }
        }
        forget();
        return first;
    }

    /** C_SetPIN succeeded: later logins on other HSMs use the new PIN. */
    synchronized void pinChanged(byte[] newPin) {
        if (active && newPin != null) {
            if (pin != null) {
                Arrays.fill(pin, (byte) 0);
            }
            pin = newPin.clone();
        }
    }

    /** Logged out (C_Logout, the last session closed, C_Finalize): the PIN is wiped. */
    synchronized void forget() {
        active = false;
        wipe();
        for (HsmMember m : pool.members()) {
            m.loggedOut();
        }
    }

    private void wipe() {
        if (pin != null) {
            Arrays.fill(pin, (byte) 0);
            pin = null;
        }
        if (username != null) {
            Arrays.fill(username, (byte) 0);
            username = null;
        }
    }

    private static Request logoutRequest(SessionRouter.Route on) {
        return Request.newBuilder().setLogout(Session.newBuilder().setSession(on.nodeHandle())).build();
    }

    private static Request request(long nodeHandle, long type, byte[] pin, byte[] username) {
        io.jhsm.protocol.v1.Login.Builder b = Requests.login(nodeHandle, type, pin);
        if (username != null) {
            b.setUsername(of(username));
        }
        return Request.newBuilder().setLogin(b).build();
    }
}
