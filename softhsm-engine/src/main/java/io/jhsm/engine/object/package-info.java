/**
 * Objects and their attribute rules: which attributes a class/key type has, who may read or change them
 * (PKCS#11 §4), templates, the key policy modes, vendor attributes and key check values.
 *
 * <p>May depend on the mechanism core only; not on tokens, sessions, stores or CloudHSM.
 */
package io.jhsm.engine.object;
