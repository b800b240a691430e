/**
 * The simulated HSM: {@link io.jhsm.engine.Engine} implements {@code Cryptoki} by routing each
 * function to its family in {@code function}. The subpackages, from the bottom up: {@code mechanism}
 * (the algorithms), {@code object} (attribute rules), {@code store} (SQLite), {@code token},
 * {@code session}, {@code cloudhsm} (the CloudHSM model over tokens), {@code config}, {@code function}.
 *
 * <p>May depend on {@code io.jhsm.pkcs11}, Bouncy Castle and the JDK; never on the bridge, the CLI or
 * the conformance suite. No package cycles ({@code ArchitectureTest}).
 */
package io.jhsm.engine;
