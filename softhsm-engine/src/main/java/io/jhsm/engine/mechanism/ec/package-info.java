/**
 * ECDSA over the NIST and secp256k1 curves, and ECDH (also over X25519/X448) key derivation.
 *
 * <p>May depend on the mechanism core, {@code digest}, {@code edwards} and {@code kdf}; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.ec;
