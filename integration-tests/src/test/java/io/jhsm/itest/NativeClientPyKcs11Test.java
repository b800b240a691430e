package io.jhsm.itest;

/** NetworkPyKcs11Test's PyKCS11 application loading dist/libjhsm-client.so, against a node of its own. */
@ThroughNativeClient
class NativeClientPyKcs11Test extends NetworkPyKcs11Test {
}
