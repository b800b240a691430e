package io.jhsm.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.client.ClientConfig;
import io.jhsm.client.RemoteCryptoki;
import io.jhsm.engine.profile.ProfileSetting;
import io.jhsm.engine.profile.TokenProfile;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.protocol.v1.FaultRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The node's token profile as its applications meet it over the network: the Notify refusal and throttled attribute reads. */
class NodeProfileTest {
    private static final long RW = CKF.SERIAL_SESSION | CKF.RW_SESSION;

    @TempDir
    Path dir;
    NodeFixture node;
    RemoteCryptoki app;

    @BeforeEach
    void start() throws Exception {
        node = new NodeFixture(dir, 64);
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.C_Finalize();
        }
        node.close();
    }

    /** An application of the node once its token has {@code profile} (retry mode off: a throttled call answers at once). */
    private RemoteCryptoki applicationOf(TokenProfile profile) {
        ProfileSetting.write(node.config.tokenDirectory(0), profile);
        app = node.client(node.clientConfig(Duration.ofSeconds(10)).withRetryMode(ClientConfig.RetryMode.OFF));
        app.C_Initialize(InitializeArgs.NONE);
        return app;
    }

    private static long rv(Runnable call) {
        return assertThrows(CkException.class, call::run).rv();
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void aNotifyCallbackReachesTheNodeAndACloudHsmTokenRefusesIt(TokenProfile profile) {
        RemoteCryptoki c = applicationOf(profile);
        if (profile.cloudHsm()) {
            assertEquals(CKR.ARGUMENTS_BAD, rv(() -> c.C_OpenSession(0, RW, true)));
        } else {
            c.C_CloseSession(c.C_OpenSession(0, RW, true));
        }
        c.C_CloseSession(c.C_OpenSession(0, RW));
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void aThrottledAttributeReadIsDeviceErrorOnlyOnACloudHsmToken(TokenProfile profile) {
        RemoteCryptoki c = applicationOf(profile);
        long s = NodeFixture.userSession(c);
        long key = c.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 16L)));
        node.faults.set(FaultRequest.newBuilder().setThrottleRate(1).build());
        try {
            assertEquals(profile.cloudHsm() ? CKR.DEVICE_ERROR : CKR.FUNCTION_FAILED,
                    rv(() -> c.C_GetAttributeValue(s, key, new long[] {CKA.LABEL})));
            assertEquals(CKR.FUNCTION_FAILED, rv(() -> c.C_GenerateRandom(s, new byte[8])));
        } finally {
            node.faults.set(FaultRequest.newBuilder().setClear(io.jhsm.protocol.v1.Empty.getDefaultInstance()).build());
        }
    }
}
