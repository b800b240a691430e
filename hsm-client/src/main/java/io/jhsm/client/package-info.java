/**
 * The network client: {@code Cryptoki} over the HSM protocol (hsm-protocol) to jhsm HSM nodes, with TLS
 * verified against the cluster's trust anchor. Depends on the api and the protocol only; the bridge
 * and the CLI load it only in network mode ({@code hsms} in {@code JHSM_CONF}).
 */
package io.jhsm.client;
