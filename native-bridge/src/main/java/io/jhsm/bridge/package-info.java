/**
 * The C ABI side in Java: the entry the C shim calls ({@code NativeBoot}), marshalling of C structs to
 * Java values and back, and the guard that turns every Throwable into a CK_RV.
 *
 * <p>May depend on {@code io.jhsm.pkcs11}, JNA and the JDK. The engine is loaded by class name
 * ({@code io.jhsm.engine.Engine}) and called through {@code Cryptoki}: no compile-time dependency on it.
 */
package io.jhsm.bridge;
