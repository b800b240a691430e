package io.jhsm.itest;

/** NetworkNssTest's certutil and modutil with dist/libjhsm-client.so registered in the NSS database, against a node of its own. */
@ThroughNativeClient
class NativeClientNssTest extends NetworkNssTest {
}
