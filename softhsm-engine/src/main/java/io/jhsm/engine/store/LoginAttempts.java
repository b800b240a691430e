package io.jhsm.engine.store;

/**
 * A login attempt's start as the number a replicated BEGIN_LOGIN answers: the outcome and the failure
 * count, never the verifier (the calling HSM reads that from its own store, so no PIN verifier travels).
 */
final class LoginAttempts {
    private LoginAttempts() {}

    static long toNumber(LoginAttempt attempt) {
        long failures = attempt.user() == null ? 0 : attempt.user().failedLogins();
        return failures << 8 | attempt.outcome().ordinal();
    }

    static LoginAttempt fromNumber(long number, String name, long role, TokenStore local) {
        LoginAttempt.Outcome outcome = LoginAttempt.Outcome.values()[(int) (number & 0xff)];
        if (outcome != LoginAttempt.Outcome.STARTED) {
            return LoginAttempt.refused(outcome);
        }
        byte[] verifier = local.user(name).orElseThrow(() -> new TokenStoreException(
                "user " + name + " vanished between the cluster's login count and this HSM's read of it; log in again"))
                .pinVerifier();
        return new LoginAttempt(outcome, new UserRecord(name, role, verifier, (int) (number >>> 8), false));
    }
}
