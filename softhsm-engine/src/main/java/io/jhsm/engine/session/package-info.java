/**
 * Sessions and their active operations (one per kind, as PKCS#11 §5.6 allows) and object searches.
 *
 * <p>May depend on {@code token}, {@code object} and {@code mechanism} (core); not on {@code function}.
 */
package io.jhsm.engine.session;
