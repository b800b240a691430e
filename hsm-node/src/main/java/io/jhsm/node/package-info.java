/**
 * One HSM on the network: serves the engine and token store of one directory over gRPC with TLS 1.3
 * (mutual TLS under the cluster's enforcement), one PKCS#11 application per client connection.
 * Depends on the engine and the protocol; never on the bridge, the CLI or the client.
 */
package io.jhsm.node;
