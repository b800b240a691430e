/**
 * A token's profile: {@code pkcs11} (exactly the PKCS#11 specification) or {@code cloudhsm} (what AWS
 * CloudHSM's Client SDK 5 PKCS#11 library documents: the HSM makes the AES-GCM IV, read-only sessions and
 * some functions are refused, only SDK 5's mechanisms are offered …; CLOUDHSM.md, "The cloudhsm profile",
 * lists each behaviour with its source page). The profile only narrows or reshapes what an application
 * sees through PKCS#11; the CLI's management path always runs the {@code pkcs11} view.
 *
 * <p>May depend on {@code token}, {@code session}, {@code object}, {@code mechanism} and {@code store}; the
 * function families ask it, never the other way round.
 */
package io.jhsm.engine.profile;
