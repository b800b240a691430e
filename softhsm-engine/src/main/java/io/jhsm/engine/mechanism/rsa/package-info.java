/**
 * RSA: key pairs, PKCS#1 v1.5, PSS and OAEP, X.509 (raw), recovery, and RSA-AES key wrap.
 *
 * <p>May depend on the mechanism core, {@code aes} and {@code digest}; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.rsa;
