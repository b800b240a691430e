/**
 * Diagnostics any engine package may use: the problem log (one line per CKR_DEVICE_ERROR or
 * CKR_GENERAL_ERROR: what, where, what to do) and the kill points crash tests arm in a child JVM.
 *
 * <p>Depends on the JDK only, so every layer can report through it without a cycle.
 */
package io.jhsm.engine.diag;
