package io.jhsm.engine.store;

/**
 * The start of a login attempt ({@link TokenStore#beginLogin}): either counted and ready for its PIN check
 * ({@code user} carries the verifier), or refused before any check because the user is locked or unknown.
 */
public record LoginAttempt(Outcome outcome, UserRecord user) {

    public enum Outcome {
        /** Counted as a failure in advance; end it with loginFailed or loginSucceeded. */
        STARTED,
        /** Locked, or as many attempts counted as the limit allows: no PIN is checked. */
        LOCKED,
        /** No user of that name in that role. */
        NO_SUCH_USER
    }

    static LoginAttempt refused(Outcome outcome) {
        return new LoginAttempt(outcome, null);
    }
}
