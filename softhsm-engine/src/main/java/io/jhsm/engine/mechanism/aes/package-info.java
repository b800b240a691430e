/**
 * AES: key generation, ECB/CBC/CTS/CFB/OFB/CTR/GCM/CCM/XTS, CMAC, and the key-wrap cipher (RFC 3394/5649)
 * the {@code wrap} and {@code rsa} families use.
 *
 * <p>May depend on the mechanism core and {@code mac}; never on sessions, tokens, CloudHSM or the function families.
 */
package io.jhsm.engine.mechanism.aes;
