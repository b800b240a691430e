package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Ulong;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectPolicyTest extends LoggedInUserTest {
    private AttributeReading read(long object, long type) {
        return f.engine.C_GetAttributeValue(s, object, new long[] {type}).get(0);
    }

    @Test
    void sensitiveValueIsNeverReturned() {
        long key = f.aesKey(s, Attribute.of(CKA.SENSITIVE, true), Attribute.of(CKA.EXTRACTABLE, true));
        assertEquals(CKR.ATTRIBUTE_SENSITIVE, read(key, CKA.VALUE).rv());
        long unextractable = f.aesKey(s, Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, false));
        assertEquals(CKR.ATTRIBUTE_SENSITIVE, read(unextractable, CKA.VALUE).rv());
        long open = f.aesKey(s, Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
        assertArrayEquals(new byte[16], read(open, CKA.VALUE).value());
    }

    @Test
    void sensitiveValueNeverMatchesAFind() {
        f.aesKey(s, Attribute.of(CKA.LABEL, "k"));
        f.engine.C_FindObjectsInit(s, List.of(Attribute.of(CKA.VALUE, new byte[16])));
        assertEquals(0, f.engine.C_FindObjects(s, 10).length);
        f.engine.C_FindObjectsFinal(s);
    }

    @Test
    void sensitiveOnlyTurnsOnAndExtractableOnlyOff() {
        long key = f.aesKey(s, Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
        f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.SENSITIVE, true)));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.SENSITIVE, false))));
        f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.EXTRACTABLE, false)));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.EXTRACTABLE, true))));
    }

    @Test
    void importedKeysAreNeverAlwaysSensitiveNorNeverExtractable() {
        long key = f.aesKey(s, Attribute.of(CKA.SENSITIVE, true), Attribute.of(CKA.EXTRACTABLE, false));
        assertFalse(Ulong.decodeBool(read(key, CKA.ALWAYS_SENSITIVE).value()));
        assertFalse(Ulong.decodeBool(read(key, CKA.NEVER_EXTRACTABLE).value()));
        assertFalse(Ulong.decodeBool(read(key, CKA.LOCAL).value()));
    }

    @Test
    void tokenAssignedAttributesCannotBeGiven() {
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.aesKey(s, Attribute.of(CKA.LOCAL, true)));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.aesKey(s, Attribute.of(CKA.ALWAYS_SENSITIVE, true)));
    }

    @Test
    void readOnlyAttributesStayReadOnly() {
        long key = f.aesKey(s);
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.CLASS, CKO.DATA))));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.VALUE, new byte[16]))));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET))));
        f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.LABEL, "renamed")));
        assertArrayEquals(bytes("renamed"), read(key, CKA.LABEL).value());
    }

    @Test
    void unmodifiableObjectRefusesChanges() {
        long key = f.aesKey(s, Attribute.of(CKA.MODIFIABLE, false));
        assertRv(CKR.ACTION_PROHIBITED, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.LABEL, "x"))));
    }

    @Test
    void privateObjectsAreInvisibleWithoutLogin() {
        long key = f.aesKey(s, Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, "private"));
        f.engine.C_Logout(s);
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> read(key, CKA.LABEL));
        f.engine.C_FindObjectsInit(s, List.of(Attribute.of(CKA.LABEL, "private")));
        assertEquals(0, f.engine.C_FindObjects(s, 10).length);
        f.engine.C_FindObjectsFinal(s);
        assertRv(CKR.USER_NOT_LOGGED_IN, () -> f.aesKey(s));
    }

    @Test
    void tokenObjectsNeedAReadWriteSession() {
        long ro = f.roSession();
        assertRv(CKR.SESSION_READ_ONLY, () -> f.aesKey(ro, Attribute.of(CKA.TOKEN, true)));
        long key = f.aesKey(s, Attribute.of(CKA.TOKEN, true));
        assertRv(CKR.SESSION_READ_ONLY, () -> f.engine.C_DestroyObject(ro, key));
    }

    @Test
    void templatesAreValidated() {
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.KEY_TYPE, CKK.AES))));
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> f.engine.C_CreateObject(s, List.of(
                Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE, new byte[15]))));
        assertRv(CKR.ATTRIBUTE_TYPE_INVALID, () -> f.aesKey(s, Attribute.of(CKA.MODULUS, new byte[8])));
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> f.aesKey(s, Attribute.of(CKA.TOKEN, new byte[2])));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> f.aesKey(s, Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.TOKEN, false)));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> f.aesKey(s, Attribute.of(CKA.VALUE_LEN, 16L)));
    }

    @Test
    void findMatchesEveryTemplateAttribute() {
        long a = f.aesKey(s, Attribute.of(CKA.LABEL, "a"), Attribute.of(CKA.ID, new byte[] {1}));
        f.aesKey(s, Attribute.of(CKA.LABEL, "a"), Attribute.of(CKA.ID, new byte[] {2}));
        f.engine.C_FindObjectsInit(s, List.of(Attribute.of(CKA.LABEL, "a"), Attribute.of(CKA.ID, new byte[] {1})));
        assertArrayEquals(new long[] {a}, f.engine.C_FindObjects(s, 10));
        assertEquals(0, f.engine.C_FindObjects(s, 10).length);
        assertRv(CKR.OPERATION_ACTIVE, () -> f.engine.C_FindObjectsInit(s, List.of()));
        f.engine.C_FindObjectsFinal(s);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_FindObjects(s, 1));
    }

    @Test
    void copyMayTightenButNotLoosen() {
        long key = f.aesKey(s, Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
        long copy = f.engine.C_CopyObject(s, key, List.of(Attribute.of(CKA.SENSITIVE, true), Attribute.of(CKA.LABEL, "copy")));
        assertEquals(CKR.ATTRIBUTE_SENSITIVE, read(copy, CKA.VALUE).rv());
        long locked = f.aesKey(s, Attribute.of(CKA.SENSITIVE, true));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_CopyObject(s, locked, List.of(Attribute.of(CKA.SENSITIVE, false))));
        long uncopyable = f.aesKey(s, Attribute.of(CKA.COPYABLE, false));
        assertRv(CKR.ACTION_PROHIBITED, () -> f.engine.C_CopyObject(s, uncopyable, List.of()));
    }

    @Test
    void undestroyableObjectStays() {
        long key = f.aesKey(s, Attribute.of(CKA.DESTROYABLE, false));
        assertRv(CKR.ACTION_PROHIBITED, () -> f.engine.C_DestroyObject(s, key));
        long other = f.aesKey(s);
        f.engine.C_DestroyObject(s, other);
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> f.engine.C_DestroyObject(s, other));
    }

    @Test
    void unknownAttributeIsTypeInvalidButOthersAreStillRead() {
        long key = f.aesKey(s, Attribute.of(CKA.LABEL, "x"));
        List<AttributeReading> r = f.engine.C_GetAttributeValue(s, key, new long[] {CKA.MODULUS, CKA.LABEL, CKA.VALUE});
        assertEquals(CKR.ATTRIBUTE_TYPE_INVALID, r.get(0).rv());
        assertArrayEquals(bytes("x"), r.get(1).value());
        assertEquals(CKR.ATTRIBUTE_SENSITIVE, r.get(2).rv());
    }

    @Test
    void ownerIsRecorded() {
        long key = f.aesKey(s);
        assertArrayEquals(bytes("user"), read(key, JhsmAttributes.OWNER).value());
    }

    @Test
    void tokenObjectsPersistAndOtherEnginesSeeThem() {
        long key = f.aesKey(s, Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, "persisted"));
        Engine other = EngineFixture.started(dir);
        long t = other.C_OpenSession(0, io.jhsm.pkcs11.CKF.SERIAL_SESSION);
        other.C_Login(t, io.jhsm.pkcs11.CKU.USER, EngineFixture.USER_PIN);
        other.C_FindObjectsInit(t, List.of(Attribute.of(CKA.LABEL, "persisted")));
        assertArrayEquals(new long[] {key}, other.C_FindObjects(t, 10));
        other.C_FindObjectsFinal(t);
        f.engine.C_DestroyObject(s, key);
        other.C_FindObjectsInit(t, List.of(Attribute.of(CKA.LABEL, "persisted")));
        assertEquals(0, other.C_FindObjects(t, 10).length);
        other.C_Finalize();
    }

    @Test
    void closingASessionDestroysTheObjectsItMadeAndNoOthers() {
        long first = f.rwSession();
        long second = f.rwSession();
        long mine = f.aesKey(first);
        long changed = f.aesKey(first);
        // A modified object is a new HsmObject for the same handle: it must still die with its session.
        f.engine.C_SetAttributeValue(first, changed, List.of(Attribute.of(CKA.LABEL, "renamed")));
        long theirs = f.aesKey(second);
        long destroyedEarly = f.aesKey(second);
        f.engine.C_DestroyObject(second, destroyedEarly);
        f.engine.C_CloseSession(first);
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> f.engine.C_GetObjectSize(second, mine));
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> f.engine.C_GetObjectSize(second, changed));
        assertTrue(f.engine.C_GetObjectSize(second, theirs) > 0);
        f.engine.C_FindObjectsInit(second, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY)));
        assertArrayEquals(new long[] {theirs}, f.engine.C_FindObjects(second, 10));
        f.engine.C_FindObjectsFinal(second);
    }

    @Test
    void sessionObjectsDieWithTheirSession() {
        long other = f.rwSession();
        long key = f.aesKey(other);
        assertTrue(f.engine.C_GetObjectSize(s, key) > 0);
        f.engine.C_CloseSession(other);
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> f.engine.C_GetObjectSize(s, key));
    }

    @Test
    void profileObjectsDeclareTheProfilesAndCannotBeDestroyed() {
        long ro = f.roSession();
        f.engine.C_FindObjectsInit(ro, List.of(Attribute.of(CKA.CLASS, CKO.PROFILE)));
        long[] profiles = f.engine.C_FindObjects(ro, 10);
        f.engine.C_FindObjectsFinal(ro);
        assertEquals(4, profiles.length);
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (long p : profiles) {
            ids.add(Ulong.decode(f.engine.C_GetAttributeValue(ro, p, new long[] {CKA.PROFILE_ID}).get(0).value()));
        }
        assertEquals(java.util.Set.of(io.jhsm.pkcs11.CKP.BASELINE_PROVIDER, io.jhsm.pkcs11.CKP.EXTENDED_PROVIDER,
                io.jhsm.pkcs11.CKP.AUTHENTICATION_TOKEN, io.jhsm.pkcs11.CKP.PUBLIC_CERTIFICATES_TOKEN), ids);
        assertRv(CKR.ACTION_PROHIBITED, () -> f.engine.C_DestroyObject(s, profiles[0]));
    }
}
