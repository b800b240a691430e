package io.jhsm.pkcs11;

/**
 * What C_EncapsulateKey returns: the ciphertext's length, and the new key's handle (0 when the call
 * only asked for the length, or the buffer was too small, and so created no key).
 */
public record Encapsulation(int ciphertextLength, long hKey) {}
