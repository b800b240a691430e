/**
 * The AWS CloudHSM model over a token: users and roles, quorum, key ownership and sharing, backups,
 * the cluster and its audit log (see CLOUDHSM.md).
 *
 * <p>May depend on {@code token}, {@code object} and {@code store}; tokens never depend on it.
 */
package io.jhsm.engine.cloudhsm;
