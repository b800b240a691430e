/**
 * PKCS#11 in Java terms: the {@link io.jhsm.pkcs11.Cryptoki} interface, the CK* constants, attributes,
 * mechanisms and their parameters, and {@link io.jhsm.pkcs11.CkException} carrying a CK_RV.
 *
 * <p>Depends on nothing but the JDK; every other module of jhsm depends on it.
 */
package io.jhsm.pkcs11;
