/**
 * ChaCha20 and ChaCha20-Poly1305.
 *
 * <p>May depend on the mechanism core; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.chacha;
