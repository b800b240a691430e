/**
 * The {@code jhsm} command (picocli): tokens, keys, users, quorum, cluster and backup commands.
 *
 * <p>May depend on the engine (its {@code Engine}, {@code config} and {@code cloudhsm}) and the api;
 * nothing depends on it.
 */
package io.jhsm.cli;
