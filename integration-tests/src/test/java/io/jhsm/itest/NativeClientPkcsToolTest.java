package io.jhsm.itest;

/** Every NetworkPkcsToolTest check with pkcs11-tool loading dist/libjhsm-client.so, against a node of its own. */
@ThroughNativeClient
class NativeClientPkcsToolTest extends NetworkPkcsToolTest {
}
