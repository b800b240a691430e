/**
 * AES key-wrap mechanisms and the PKCS#8 encodings of private keys that wrapping uses.
 *
 * <p>May depend on the mechanism core, {@code aes}, {@code ec}, {@code edwards} and {@code pqc}; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.wrap;
