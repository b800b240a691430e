package io.jhsm.node;

import static io.jhsm.node.NodeFixture.userSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.client.RemoteCryptoki;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.pkcs11.Mechanism;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CloudHSM's key availability check through the real client: in a cluster of fewer than 2 HSMs an
 * operation with a token key is refused (CKR_FUNCTION_FAILED, CloudHSM's message) unless the client's
 * configuration turned the check off; session keys and clusters of 2 or more are never refused.
 */
class KeyAvailabilityTest {
    private static final Mechanism AES_ECB = Mechanism.of(CKM.AES_ECB);

    @TempDir
    Path dir;
    private NodeFixture node;
    private final List<RemoteCryptoki> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = new NodeFixture(dir, 64);
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(RemoteCryptoki::C_Finalize);
        node.close();
    }

    private RemoteCryptoki client(boolean check) {
        RemoteCryptoki c = node.client(node.clientConfig(Duration.ofSeconds(10)).withKeyAvailabilityCheck(check));
        c.C_Initialize(InitializeArgs.NONE);
        clients.add(c);
        return c;
    }

    private static long aesKey(RemoteCryptoki c, long session, boolean token) {
        return c.C_CreateObject(session, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.TOKEN, token), Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.VALUE, new byte[16])));
    }

    @Test
    void aTokenKeyIsRefusedInAOneHsmClusterWithCloudHsmsMessage() {
        RemoteCryptoki c = client(true);
        long s = userSession(c);
        long key = aesKey(c, s, true);

        CkException e = assertThrows(CkException.class, () -> c.C_EncryptInit(s, AES_ECB, key));

        assertEquals(CKR.FUNCTION_FAILED, e.rv());
        assertTrue(e.getMessage().contains("Key " + key + " does not meet the availability requirements - The key must be"
                + " available on at least 2 HSMs before being used"), e.getMessage());
    }

    /** A key of that kind is made and encrypts a block: the operation was allowed to start. */
    private static void assertKeyUsable(RemoteCryptoki c, boolean tokenKey) {
        long s = userSession(c);
        long key = aesKey(c, s, tokenKey);
        c.C_EncryptInit(s, AES_ECB, key);
        assertEquals(16, c.C_Encrypt(s, new byte[16], new byte[16]));
    }

    @Test
    void aSessionKeyIsNeverRefused() {
        assertKeyUsable(client(true), false);
    }

    @Test
    void aClientThatTurnedTheCheckOffUsesTokenKeysInAOneHsmCluster() {
        assertKeyUsable(client(false), true);
    }

    @Test
    void aClusterOfTwoHsmsMeetsTheRequirement() {
        node.hsmsInCluster = 2;
        assertKeyUsable(client(true), true);
    }
}
