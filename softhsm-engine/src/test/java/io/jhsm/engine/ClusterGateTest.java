package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.ClusterState;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.Mechanism;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CloudHSM cluster lifecycle and key quorum as PKCS#11 applications see them. */
class ClusterGateTest {
    @TempDir
    Path dir;

    private Path tokenDir() {
        return dir.resolve("slot-0");
    }

    private Engine initialisedCluster(boolean signWithOtherKey) throws Exception {
        ClusterFixture.initialise(dir, signWithOtherKey);
        // The cluster's management (activation, users, attribute changes) as the CLI runs it; the cloudhsm
        // profile an application gets refuses those calls (CloudHsmProfileFunctionsTest).
        return EngineFixture.managementPath(dir);
    }

    /** Activates the admin, creates crypto user alice and returns a read/write session she is logged in to. */
    private static long aliceLoggedIn(Engine e) {
        long s = e.C_OpenSession(0, 6);
        e.C_Login(s, CKU.SO, bytes("admin:password"));
        e.C_SetPIN(s, bytes("password"), bytes("Admin-pass-1"));
        e.C_InitPIN(s, bytes("alice:alice-pass-1"));
        e.C_Logout(s);
        e.C_Login(s, CKU.USER, bytes("alice:alice-pass-1"));
        return s;
    }

    @Test
    void aNewClusterIsNoTokenUntilInitialisedAndRefusesInitToken() throws Exception {
        try (CloudHsm hsm = CloudHsm.open(tokenDir())) {
            hsm.cluster().create(dir);
        }
        Engine e = EngineFixture.started(dir);
        assertRv(CKR.TOKEN_NOT_RECOGNIZED, () -> e.C_OpenSession(0, 6));
        assertRv(CKR.FUNCTION_NOT_SUPPORTED, () -> e.C_InitToken(0, bytes("admin-pin"), EngineFixture.label("x")));
    }

    @Test
    void aCertificateForAnotherKeyIsRefused() {
        HsmException ex = assertThrows(HsmException.class, () -> initialisedCluster(true));
        assertEquals(HsmException.Code.INTEGRITY, ex.code());
        assertEquals(ClusterState.UNINITIALIZED, ClusterState.of(tokenDir()));
    }

    @Test
    void theUnactivatedAdminOnlyActivates() throws Exception {
        Engine e = initialisedCluster(false);
        long s = e.C_OpenSession(0, 6);
        e.C_Login(s, CKU.SO, bytes("admin:password"));
        assertRv(CKR.PIN_EXPIRED, () -> e.C_InitPIN(s, bytes("alice:alice-pass-1")));
        assertRv(CKR.PIN_LEN_RANGE, () -> e.C_SetPIN(s, bytes("password"), bytes("short")));
        e.C_SetPIN(s, bytes("password"), bytes("Admin-pass-1"));
        assertEquals(ClusterState.ACTIVE, ClusterState.of(tokenDir()));
        e.C_InitPIN(s, bytes("alice:alice-pass-1"));
    }

    @Test
    void aKeyWithAUsageQuorumRefusesPkcs11Signing() throws Exception {
        Engine e = initialisedCluster(false);
        long s = e.C_OpenSession(0, 6);
        e.C_Login(s, CKU.SO, bytes("admin:password"));
        e.C_SetPIN(s, bytes("password"), bytes("Admin-pass-1"));
        e.C_InitPIN(s, bytes("alice:alice-pass-1"));
        e.C_InitPIN(s, bytes("bob:bob-pass-1"));
        e.C_Logout(s);
        e.C_Login(s, CKU.USER, bytes("alice:alice-pass-1"));
        long key = e.C_GenerateKey(s, Mechanism.of(CKM.GENERIC_SECRET_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.SIGN, true), Attribute.of(CKA.TOKEN, true)));
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> e.C_SetAttributeValue(s, key, List.of(Attribute.of(JhsmAttributes.USE_QUORUM, 2L))));
        e.C_SetAttributeValue(s, key, List.of(Attribute.of(JhsmAttributes.SHARED_WITH, KeyPolicy.encode(new LinkedHashSet<>(List.of("bob"))))));
        e.C_SetAttributeValue(s, key, List.of(Attribute.of(JhsmAttributes.USE_QUORUM, 2L)));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> e.C_SetAttributeValue(s, key, List.of(Attribute.of(JhsmAttributes.USE_QUORUM, 1L))));
        assertRv(CKR.FUNCTION_REJECTED, () -> e.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), key));
    }

    @Test
    void onAClusterOnlyCloudHsmsModifiableKeyAttributesChange() throws Exception {
        Engine e = initialisedCluster(false);
        long s = aliceLoggedIn(e);
        long key = e.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.TOKEN, true)));
        e.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.LABEL, "renamed"), Attribute.of(CKA.ID, bytes("01"))));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> e.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.START_DATE, bytes("20250101")))));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> e.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.COPYABLE, false))));
    }

    @Test
    void onAClusterTheAdminNeitherCreatesNorUsesKeys() throws Exception {
        Engine e = initialisedCluster(false);
        long s = aliceLoggedIn(e);
        long[] pair = e.C_GenerateKeyPair(s, Mechanism.of(CKM.EC_KEY_PAIR_GEN), List.of(Attribute.of(CKA.EC_PARAMS,
                new byte[] {6, 8, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 3, 1, 7}), Attribute.of(CKA.TOKEN, true)),
                List.of(Attribute.of(CKA.TOKEN, true)));
        e.C_Logout(s);
        e.C_Login(s, CKU.SO, bytes("admin:Admin-pass-1"));
        // No CKA_PRIVATE FALSE here: a cluster token has the cloudhsm profile, where only TRUE may be given; the
        // key policy refuses the admin before the private-object rule is asked.
        assertRv(CKR.USER_NOT_LOGGED_IN, () -> e.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN),
                List.of(Attribute.of(CKA.VALUE_LEN, 16L))));
        assertRv(CKR.USER_NOT_LOGGED_IN, () -> e.C_VerifyInit(s, Mechanism.of(CKM.ECDSA), pair[0]));
    }
}
