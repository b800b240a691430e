package io.jhsm.itest;

/** NetworkOpenSslEngineTest's TLS handshakes with OpenSSL's libp11 engine loading dist/libjhsm-client.so, against a node of its own. */
@ThroughNativeClient
class NativeClientOpenSslEngineTest extends NetworkOpenSslEngineTest {
}
