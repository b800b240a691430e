/**
 * The PKCS#11 function families, one class per chapter of the base specification §5: slots and tokens,
 * sessions and login, objects, encryption/decryption/digest/sign/verify, key generation, wrap and
 * derive, message-based functions, KEM, random numbers; plus the module state and lifecycle they share
 * and the CloudHSM audit hooks around management calls.
 *
 * <p>The top of the engine: may depend on every other engine package; only {@code Engine} depends on it.
 */
package io.jhsm.engine.function;
