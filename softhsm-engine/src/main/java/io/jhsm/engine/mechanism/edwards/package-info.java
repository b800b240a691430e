/**
 * EdDSA (Ed25519, Ed448) and the Montgomery/Edwards curve keys.
 *
 * <p>May depend on the mechanism core; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.edwards;
