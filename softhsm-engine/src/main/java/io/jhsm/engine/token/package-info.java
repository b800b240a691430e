/**
 * One token: its users, PINs, login state and in-memory object table over its store. Which objects a
 * login sees is asked of an {@link io.jhsm.engine.token.ObjectVisibility} the opener supplies.
 *
 * <p>May depend on {@code object} and {@code store}; never on {@code cloudhsm}, {@code session} or
 * {@code function}.
 */
package io.jhsm.engine.token;
