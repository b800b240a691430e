/**
 * Message digests (SHA-1, SHA-2, SHA-3, MD5 as legacy) and {@code HashAlg}, the hash table other families use.
 *
 * <p>May depend on the mechanism core; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.digest;
