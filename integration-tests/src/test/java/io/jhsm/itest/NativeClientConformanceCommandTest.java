package io.jhsm.itest;

/**
 * NetworkConformanceCommandTest's two runs of {@code jhsm conformance} (the cluster's cloudhsm profile, then the
 * token switched to pkcs11) with {@code --module dist/libjhsm-client.so}: the native client must conform exactly as
 * the JVM module does in network mode, against a node of its own.
 */
@ThroughNativeClient
class NativeClientConformanceCommandTest extends NetworkConformanceCommandTest {
}
