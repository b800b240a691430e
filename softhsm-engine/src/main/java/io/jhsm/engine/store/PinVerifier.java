package io.jhsm.engine.store;

/**
 * PIN verifiers: a salted, slow hash of a PIN (PBKDF2-HMAC-SHA256), so that the store never holds a PIN.
 * The format is self-describing (algorithm, iterations, salt, hash) so the cost can be raised later.
 */
public interface PinVerifier {

    byte[] create(byte[] pin);

    /** Constant-time comparison. */
    boolean matches(byte[] verifier, byte[] pin);
}
