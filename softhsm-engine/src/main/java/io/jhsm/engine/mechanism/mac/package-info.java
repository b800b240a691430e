/**
 * HMAC (general and fixed length) and the block-cipher MAC operation CMAC and DES MACs share.
 *
 * <p>May depend on the mechanism core and {@code digest}; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.mac;
