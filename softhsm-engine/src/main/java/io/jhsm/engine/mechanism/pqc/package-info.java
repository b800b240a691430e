/**
 * Post-quantum mechanisms: ML-DSA, SLH-DSA (with pre-hash variants) and ML-KEM.
 *
 * <p>May depend on the mechanism core, {@code digest} and {@code kdf}; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.pqc;
