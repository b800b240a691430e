package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jhsm.engine.store.StoreFaults;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.DerivedKey;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.pkcs11.MechanismParams.PrfDataParam;
import io.jhsm.pkcs11.Ulong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.KDFCounterBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KDFCounterParameters;
import org.junit.jupiter.api.Test;

/** SP 800-108 additional derived keys through C_DeriveKey: all keys become objects, or none does. */
class Sp800108AdditionalKeysTest extends LoggedInUserTest {
    static final byte[] BASE = new byte[32];
    static final byte[] LABEL = {1, 2, 3, 4, 5};
    static final long UNSET = -1;

    static {
        Arrays.fill(BASE, (byte) 0x5c);
    }

    private long baseKey(Attribute... extra) {
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET),
                Attribute.of(CKA.VALUE, BASE), Attribute.of(CKA.DERIVE, true), Attribute.of(CKA.SENSITIVE, false),
                Attribute.of(CKA.EXTRACTABLE, true)));
        t.addAll(Arrays.asList(extra));
        return f.engine.C_CreateObject(s, t);
    }

    /** Counter mode, HMAC-SHA256: [i]32 || label, as BC's counter generator lays it out with no suffix. */
    private static Mechanism counterKdf(List<DerivedKey> more) {
        byte[] format = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(8, 32).array();
        return Mechanism.of(CKM.SP800_108_COUNTER_KDF, new MechanismParams.Sp800108Kdf(CKM.SHA256_HMAC,
                List.of(new PrfDataParam(1, format), new PrfDataParam(4, LABEL)), null, more));
    }

    private static byte[] reference(int len) {
        KDFCounterBytesGenerator g = new KDFCounterBytesGenerator(new HMac(new SHA256Digest()));
        g.init(new KDFCounterParameters(BASE, null, LABEL, 32));
        byte[] out = new byte[len];
        g.generateBytes(out, 0, len);
        return out;
    }

    private static List<Attribute> secret(long len, Attribute... extra) {
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.VALUE_LEN, len)));
        t.addAll(Arrays.asList(extra));
        return t;
    }

    /** A key whose value the test may read back. */
    private static List<Attribute> readable(long len) {
        return secret(len, Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
    }

    private byte[] read(long key, long type) {
        var r = f.engine.C_GetAttributeValue(s, key, new long[] {type}).get(0);
        assertEquals(CKR.OK, r.rv(), CKA.name(type));
        return r.value();
    }

    @Test
    void everyAdditionalKeyBecomesAnObjectCutFromItsOwnSegments() {
        long base = baseKey();
        long[] handles = {UNSET, UNSET};
        List<DerivedKey> more = List.of(
                new DerivedKey(readable(16), h -> handles[0] = h),
                new DerivedKey(List.of(Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE_LEN, 16L)), h -> handles[1] = h));
        long main = f.engine.C_DeriveKey(s, counterKdf(more), base, readable(40));
        byte[] stream = reference(128);
        assertArrayEquals(Arrays.copyOfRange(stream, 0, 40), read(main, CKA.VALUE));
        assertArrayEquals(Arrays.copyOfRange(stream, 64, 80), read(handles[0], CKA.VALUE), "starts on the third segment");
        assertNotEquals(UNSET, handles[1]);
        assertEquals(CKK.AES, Ulong.decode(read(handles[1], CKA.KEY_TYPE)));
        assertEquals(CKR.ATTRIBUTE_SENSITIVE, f.engine.C_GetAttributeValue(s, handles[1], new long[] {CKA.VALUE}).get(0).rv());
        assertFalse(Ulong.decodeBool(read(handles[1], CKA.ALWAYS_SENSITIVE)), "the base key was never sensitive");
        assertEquals(CKM.SP800_108_COUNTER_KDF, Ulong.decode(read(handles[1], CKA.KEY_GEN_MECHANISM)));
        assertEquals(3, List.of(main, handles[0], handles[1]).stream().distinct().count());
    }

    @Test
    void aBadAdditionalTemplateCreatesNoKeyAndOnlyItsHandleIsInvalidated() {
        long base = baseKey();
        int before = f.secretTokenCounts(s);
        long[] handles = {UNSET, UNSET};
        List<DerivedKey> missingLength = List.of(new DerivedKey(secret(16), h -> handles[0] = h), new DerivedKey(List.of(), h -> handles[1] = h));
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> f.engine.C_DeriveKey(s, counterKdf(missingLength), base, secret(32)));
        assertArrayEquals(new long[] {UNSET, 0}, handles);
        assertEquals(before, f.secretTokenCounts(s));

        // Refused only when the attributes are checked, after the material exists: still nothing is made.
        handles[1] = UNSET;
        List<DerivedKey> readOnly = List.of(new DerivedKey(secret(16), h -> handles[0] = h),
                new DerivedKey(secret(16, Attribute.of(CKA.LOCAL, true)), h -> handles[1] = h));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_DeriveKey(s, counterKdf(readOnly), base, secret(32)));
        assertArrayEquals(new long[] {UNSET, 0}, handles);
        assertEquals(before, f.secretTokenCounts(s));
    }

    @Test
    void aStoreFailurePartWayRemovesTheKeysAlreadyStored() {
        long base = baseKey();
        int before = f.secretTokenCounts(s);
        long[] handles = {UNSET, UNSET};
        Attribute token = Attribute.of(CKA.TOKEN, true);
        List<DerivedKey> more = List.of(new DerivedKey(secret(16, token), h -> handles[0] = h),
                new DerivedKey(secret(16, token), h -> handles[1] = h));
        StoreFaults.refuseObjectInsertsAfter(f.directory, 2);
        assertRv(CKR.DEVICE_ERROR, () -> f.engine.C_DeriveKey(s, counterKdf(more), base, secret(32, token)));
        assertArrayEquals(new long[] {UNSET, UNSET}, handles, "no handle to a key that was rolled back");
        assertEquals(before, f.secretTokenCounts(s));
    }

    @Test
    void theBaseKeysDeriveTemplateBindsEveryAdditionalKey() {
        long base = baseKey(Attribute.ofTemplate(CKA.DERIVE_TEMPLATE, List.of(Attribute.of(CKA.ENCRYPT, false))));
        int before = f.secretTokenCounts(s);
        long[] handle = {UNSET};
        List<DerivedKey> more = List.of(new DerivedKey(secret(16, Attribute.of(CKA.ENCRYPT, true)), h -> handle[0] = h));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> f.engine.C_DeriveKey(s, counterKdf(more), base, secret(32)));
        assertEquals(0, handle[0]);
        assertEquals(before, f.secretTokenCounts(s));
        List<DerivedKey> ok = List.of(new DerivedKey(secret(16), h -> handle[0] = h));
        f.engine.C_DeriveKey(s, counterKdf(ok), base, secret(32));
        assertFalse(Ulong.decodeBool(read(handle[0], CKA.ENCRYPT)));
    }

    @Test
    void aMainTemplateFailureTouchesNoAdditionalHandle() {
        long base = baseKey();
        long[] handle = {UNSET};
        List<DerivedKey> more = List.of(new DerivedKey(secret(16), h -> handle[0] = h));
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> f.engine.C_DeriveKey(s, counterKdf(more), base, List.of()));
        assertEquals(UNSET, handle[0]);
    }
}
