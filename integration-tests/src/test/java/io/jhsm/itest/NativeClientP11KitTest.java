package io.jhsm.itest;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * P11KitTest with dist/libjhsm-client.so registered as the p11-kit module and served by {@code p11-kit server},
 * against a node of its own. The pkcs11 profile: pkcs11-tool's key pairs (CKA_PRIVATE FALSE on the public key)
 * are a generic consumer's, which the cluster's cloudhsm profile refuses as CloudHSM does.
 */
@ThroughNativeClient
class NativeClientP11KitTest extends P11KitTest {
    @RegisterExtension static final NetworkHsmFixture hsm = NetworkHsmFixture.withProfile("pkcs11");

    @Override
    ConsumerToken openToken() {
        return hsm;
    }
}
