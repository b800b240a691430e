package io.jhsm.engine.store;

/**
 * A named HSM user. {@code role} is CKU_SO (crypto officer) or CKU_USER (crypto user).
 * {@code pinVerifier} is what {@link PinVerifier#create} produced; never a PIN.
 * {@code failedLogins} counts consecutive failures; {@code locked} is set when they reach the limit.
 */
public record UserRecord(String name, long role, byte[] pinVerifier, int failedLogins, boolean locked) {

    public UserRecord withVerifier(byte[] verifier) {
        return new UserRecord(name, role, verifier, 0, false);
    }

    public UserRecord withFailure(int lockAfter) {
        int failures = failedLogins + 1;
        return new UserRecord(name, role, pinVerifier, failures, failures >= lockAfter);
    }

    public UserRecord withSuccess() {
        return failedLogins == 0 ? this : new UserRecord(name, role, pinVerifier, 0, false);
    }
}
