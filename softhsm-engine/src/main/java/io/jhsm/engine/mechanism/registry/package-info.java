/**
 * The one mechanism table: {@link io.jhsm.engine.mechanism.registry.MechanismRegistry} lists every
 * family (adding a family is one line there) and answers lookups by type.
 *
 * <p>May depend on the core and every family; no mechanism package depends on it.
 */
package io.jhsm.engine.mechanism.registry;
