/**
 * The HSM protocol's Java side: conversions between the api's PKCS#11 values and the messages of
 * {@code src/main/proto/jhsm/v1/*.proto}, shared by the client and the node. The .proto files are the
 * contract; nothing here adds to it.
 */
package io.jhsm.protocol;
