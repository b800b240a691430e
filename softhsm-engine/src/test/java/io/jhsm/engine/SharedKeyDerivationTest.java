package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a CloudHSM cluster token, a crypto user a key is shared with may use it but not export it — and
 * CloudHSM's key-sharing documentation says such users "cannot delete, export, share, unshare, derive, or
 * wrap the key". So no derivation takes a key the caller does not own, as base or as a key named in the
 * mechanism parameter: otherwise concatenate, XOR with zeros or extract would hand the shared user an
 * exportable copy it owns.
 */
class SharedKeyDerivationTest {
    @TempDir
    Path dir;
    Engine e;
    long s;

    @BeforeEach
    void aliceAndBobOnACluster() throws Exception {
        ClusterFixture.initialise(dir, false);
        e = EngineFixture.managementPath(dir); // activation and users as the CLI makes them (C_SetPIN, C_InitPIN)
        s = e.C_OpenSession(0, 6);
        e.C_Login(s, CKU.SO, bytes("admin:password"));
        e.C_SetPIN(s, bytes("password"), bytes("Admin-pass-1"));
        e.C_InitPIN(s, bytes("alice:alice-pass-1"));
        e.C_InitPIN(s, bytes("bob:bob-pass-1"));
        e.C_Logout(s);
    }

    private void as(String user) {
        try {
            e.C_Logout(s);
        } catch (io.jhsm.pkcs11.CkException notLoggedIn) {
            // first login
        }
        e.C_Login(s, CKU.USER, bytes(user + ":" + user + "-pass-1"));
    }

    /** Alice's token key, shared with bob: sensitive, extractable only by its owner's wraps, usable for derivation. */
    private long alicesSharedKey() {
        as("alice");
        long key = e.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.TOKEN, true),
                Attribute.of(CKA.VALUE_LEN, 16L), Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.DERIVE, true)));
        e.C_SetAttributeValue(s, key, List.of(Attribute.of(JhsmAttributes.SHARED_WITH,
                KeyPolicy.encode(new LinkedHashSet<>(List.of("bob"))))));
        return key;
    }

    private static List<Attribute> readable() {
        return List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET),
                Attribute.of(CKA.VALUE_LEN, 16L), Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
    }

    @Test
    void aSharedUserCannotConcatenateAnotherUsersKeyIntoOneItOwns() {
        long shared = alicesSharedKey();
        as("bob");
        long mine = e.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.VALUE, new byte[16]),
                Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.DERIVE, true)));
        List<Attribute> t = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET),
                Attribute.of(CKA.VALUE_LEN, 32L), Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
        assertRv(CKR.ACTION_PROHIBITED, () -> e.C_DeriveKey(s,
                Mechanism.of(CKM.CONCATENATE_BASE_AND_KEY, new MechanismParams.UlongValue(shared)), mine, t));
    }

    @Test
    void aSharedUserCannotCopyAnotherUsersKeyByXorWithZeros() {
        long shared = alicesSharedKey();
        as("bob");
        // The copy would be sensitive but extractable, and bob's own: he could wrap it and unwrap it as non-sensitive.
        List<Attribute> exportable = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.EXTRACTABLE, true));
        assertRv(CKR.ACTION_PROHIBITED, () -> e.C_DeriveKey(s,
                Mechanism.of(CKM.XOR_BASE_AND_DATA, new MechanismParams.DerivationString(new byte[16])), shared, exportable));
        assertRv(CKR.ACTION_PROHIBITED, () -> e.C_DeriveKey(s,
                Mechanism.of(CKM.EXTRACT_KEY_FROM_KEY, new MechanismParams.UlongValue(0)), shared, readable()));
    }

    @Test
    void theOwnerStillDerivesFromItsSharedKeyAndTheCopyKeepsItsSensitivity() {
        long shared = alicesSharedKey();
        long copy = e.C_DeriveKey(s, Mechanism.of(CKM.XOR_BASE_AND_DATA, new MechanismParams.DerivationString(new byte[16])),
                shared, readable());
        assertEquals(CKR.ATTRIBUTE_SENSITIVE, e.C_GetAttributeValue(s, copy, new long[] {CKA.VALUE}).get(0).rv());
    }
}
