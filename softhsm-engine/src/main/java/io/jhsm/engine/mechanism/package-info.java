/**
 * The mechanism core: {@link io.jhsm.engine.mechanism.MechanismImpl} and
 * {@link io.jhsm.engine.mechanism.MechanismFamily}, the operation interfaces (cipher, digest, sign,
 * verify), the key and template views the engine hands in, and helpers shared by families.
 *
 * <p>Each family lives in a subpackage; the registry ({@code registry}) lists them. Mechanisms see keys
 * only through {@code KeyView}: the core and the families depend on the api, Bouncy Castle and the JDK,
 * never on objects, sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism;
