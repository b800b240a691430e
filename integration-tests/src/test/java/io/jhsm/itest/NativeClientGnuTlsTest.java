package io.jhsm.itest;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GnuTlsCertToolTest's certtool and p11tool checks with dist/libjhsm-client.so as the provider, against a node of
 * its own. The pkcs11 profile: p11tool's key generation is a generic consumer's (CKA_PRIVATE FALSE on the public
 * key), which the cluster's cloudhsm profile refuses as CloudHSM does.
 */
@ThroughNativeClient
class NativeClientGnuTlsTest extends GnuTlsCertToolTest {
    @RegisterExtension static final NetworkHsmFixture hsm = NetworkHsmFixture.withProfile("pkcs11");

    @Override
    ConsumerToken openToken() {
        return hsm;
    }
}
