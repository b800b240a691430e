package io.jhsm.engine.store;

/**
 * A named HSM user. {@code role} is CKU_SO (crypto officer) or CKU_USER (crypto user).
 * {@code pinVerifier} is what {@link PinVerifier#create} produced; never a PIN.
 * {@code failedLogins} counts login attempts since the last success (each counts as failed until its PIN
 * proves right); {@code locked} is set when a wrong PIN brings them to the limit.
 */
public record UserRecord(String name, long role, byte[] pinVerifier, int failedLogins, boolean locked) {}
