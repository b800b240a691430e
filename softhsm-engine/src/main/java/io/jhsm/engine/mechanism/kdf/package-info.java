/**
 * Key derivation: HKDF, PBKDF2, SP 800-108, key mixing (concatenate, XOR, extract) and encrypt-data; the lengths and templates of derived keys.
 *
 * <p>May depend on the mechanism core, {@code aes}, {@code mac} and {@code digest}; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.kdf;
