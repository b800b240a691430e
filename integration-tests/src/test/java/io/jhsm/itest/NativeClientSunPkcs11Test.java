package io.jhsm.itest;

/** NetworkSunPkcs11Test's keytool and SunPKCS11 JVMs with dist/libjhsm-client.so as their library, against a node of its own. */
@ThroughNativeClient
class NativeClientSunPkcs11Test extends NetworkSunPkcs11Test {
}
