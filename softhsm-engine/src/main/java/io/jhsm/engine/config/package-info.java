/**
 * The module's configuration ({@code JHSM_CONF}): token directories, slots, key policy, legacy algorithms.
 *
 * <p>May depend on {@code object} (the key policy modes) and the api.
 */
package io.jhsm.engine.config;
