/**
 * DES3 and single DES (legacy, behind {@code legacy-algorithms}): keys with parity, block modes, MACs.
 *
 * <p>May depend on the mechanism core, {@code aes}, {@code mac} and {@code kdf}; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.des;
