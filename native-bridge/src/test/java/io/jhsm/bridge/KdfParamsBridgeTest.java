package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;
import static io.jhsm.bridge.ModuleClient.*;
import static io.jhsm.bridge.ParamCalls.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKZ;
import io.jhsm.pkcs11.DerivedKey;
import io.jhsm.pkcs11.MechanismParams;
import java.lang.ref.Reference;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SP 800-108 and PBKDF2 parameters (arrays of structs, and a field that may be a pointer) through the real shim. */
class KdfParamsBridgeTest {
    static final long ITERATION_VARIABLE = 1;
    static final long BYTE_ARRAY = 4;

    @BeforeAll
    static void init() {
        assertEquals(CKR.OK, m.call(C_Initialize, Pointer.NULL));
    }

    @AfterAll
    static void fin() {
        assertEquals(CKR.OK, m.call(C_Finalize, Pointer.NULL));
    }

    /** Two CK_PRF_DATA_PARAMs: a CK_SP800_108_COUNTER_FORMAT {bLittleEndian; ulWidthInBits} and a label. */
    static Memory dataParams(Memory counterFormat, Memory label) {
        Memory d = struct(48);
        d.setLong(0, ITERATION_VARIABLE);
        d.setPointer(8, counterFormat);
        d.setLong(16, 16);
        d.setLong(24, BYTE_ARRAY);
        d.setPointer(32, label);
        d.setLong(40, 5);
        return d;
    }

    /** CK_SP800_108_KDF_PARAMS over HMAC-SHA256. */
    static Memory kdfParams(long dataCount, Pointer data, long keyCount, Pointer keys) {
        Memory p = struct(40);
        p.setLong(0, CKM.SHA256_HMAC);
        p.setLong(8, dataCount);
        p.setPointer(16, data);
        p.setLong(24, keyCount);
        p.setPointer(32, keys);
        return p;
    }

    /** CK_SP800_108_COUNTER_FORMAT {bLittleEndian = FALSE; ulWidthInBits = 32}, its padding left dirty. */
    static Memory bigEndian32() {
        Memory format = dirty(16);
        format.setByte(0, (byte) 0);
        format.setLong(8, 32);
        return format;
    }

    @Test
    void counterAndFeedbackKdfsCopyEachDataParam() {
        Memory format = bigEndian32();
        Memory label = bytes("label".getBytes());
        Memory data = dataParams(format, label);
        Memory p = kdfParams(2, data, 0, Pointer.NULL);
        assertEquals(CKR.OK, derive(CKM.SP800_108_COUNTER_KDF, p, 40));
        MechanismParams.Sp800108Kdf k = decoded(MechanismParams.Sp800108Kdf.class);
        assertEquals(CKM.SHA256_HMAC, k.prfType());
        assertNull(k.iv());
        assertEquals(List.of(), k.additionalDerivedKeys());
        assertEquals(2, k.dataParams().size());
        assertEquals(ITERATION_VARIABLE, k.dataParams().get(0).type());
        assertArrayEquals(format.getByteArray(0, 16), k.dataParams().get(0).value(), "copied as laid out, padding included");
        assertEquals(BYTE_ARRAY, k.dataParams().get(1).type());
        assertArrayEquals("label".getBytes(), k.dataParams().get(1).value());
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_COUNTER_KDF, p, 56));

        Memory iv = bytes(new byte[] {9, 9, 9});
        Memory f = struct(56);
        f.setLong(0, CKM.SHA256_HMAC);
        f.setLong(8, 1);
        f.setPointer(16, data);
        f.setLong(24, 3);
        f.setPointer(32, iv);
        assertEquals(CKR.OK, derive(CKM.SP800_108_FEEDBACK_KDF, f, 56));
        k = decoded(MechanismParams.Sp800108Kdf.class);
        assertArrayEquals(new byte[] {9, 9, 9}, k.iv());
        assertEquals(1, k.dataParams().size());
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_FEEDBACK_KDF, f, 40));
        f.setLong(40, 1);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_FEEDBACK_KDF, f, 56), "keys counted, NULL array");
        Reference.reachabilityFence(format);
        Reference.reachabilityFence(label);
        Reference.reachabilityFence(iv);
    }

    @Test
    void badDataParamArraysAreParamInvalid() {
        Memory p = struct(40);
        p.setLong(0, CKM.SHA256_HMAC);
        p.setLong(8, 2);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_COUNTER_KDF, p, 40), "NULL pDataParams with a count");
        Memory data = struct(48);
        data.setLong(0, BYTE_ARRAY);
        data.setLong(16, 4);
        p.setPointer(16, data);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_COUNTER_KDF, p, 40), "NULL pValue with a length");
        data.setLong(16, 0);
        p.setLong(8, -1);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_COUNTER_KDF, p, 40), "absurd count");
        p.setLong(8, 1_000_000);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_COUNTER_KDF, p, 40), "huge count");
        p.setLong(8, 1);
        data.setPointer(8, new Memory(8));
        data.setLong(16, Long.MAX_VALUE);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_COUNTER_KDF, p, 40), "absurd ulValueLen");
        data.setPointer(8, Pointer.NULL);
        data.setLong(16, 0);
        assertEquals(CKR.OK, derive(CKM.SP800_108_DOUBLE_PIPELINE_KDF, p, 40));
        assertEquals(0, decoded(MechanismParams.Sp800108Kdf.class).dataParams().get(0).value().length);
    }

    /** CK_DERIVED_KEY[n] {pTemplate; ulAttributeCount; phKey}, each with a one-attribute template CKA_VALUE_LEN = 16 + i. */
    static Memory derivedKeys(Memory[] keep, int n) {
        Memory keys = struct(24 * n);
        for (int i = 0; i < n; i++) {
            Memory len = ulong(16 + i);
            Memory template = struct(24);
            template.setLong(0, CKA.VALUE_LEN);
            template.setPointer(8, len);
            template.setLong(16, 8);
            Memory phKey = ulong(-1);
            keys.setPointer(24L * i, template);
            keys.setLong(24L * i + 8, 1);
            keys.setPointer(24L * i + 16, phKey);
            keep[3 * i] = len;
            keep[3 * i + 1] = template;
            keep[3 * i + 2] = phKey;
        }
        return keys;
    }

    @Test
    void additionalDerivedKeysCarryTheirTemplatesAndAWayBackToPhKey() {
        Memory format = bigEndian32();
        Memory data = dataParams(format, bytes("label".getBytes()));
        Memory[] keep = new Memory[6];
        Memory keys = derivedKeys(keep, 2);
        Memory p = kdfParams(1, data, 2, keys);
        assertEquals(CKR.OK, derive(CKM.SP800_108_DOUBLE_PIPELINE_KDF, p, 40));
        List<DerivedKey> decoded = decoded(MechanismParams.Sp800108Kdf.class).additionalDerivedKeys();
        assertEquals(2, decoded.size());
        assertEquals(List.of(Attribute.of(CKA.VALUE_LEN, 16L)), decoded.get(0).template());
        assertEquals(List.of(Attribute.of(CKA.VALUE_LEN, 17L)), decoded.get(1).template());
        assertEquals(-1, keep[2].getLong(0), "nothing written until the engine hands a handle over");
        decoded.get(1).phKey().accept(0x1234);
        assertEquals(0x1234, keep[5].getLong(0));
        assertEquals(-1, keep[2].getLong(0));

        keys.setPointer(24 + 16, Pointer.NULL);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_DOUBLE_PIPELINE_KDF, p, 40), "NULL phKey");
        keys.setPointer(24 + 16, keep[5]);
        keys.setPointer(24, Pointer.NULL);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_DOUBLE_PIPELINE_KDF, p, 40), "NULL template with a count");
        keys.setPointer(24, keep[4]);
        p.setLong(24, 0);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_DOUBLE_PIPELINE_KDF, p, 40), "no keys counted, array given");
        p.setLong(24, -1);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_COUNTER_KDF, p, 40), "absurd count");
        p.setLong(24, Sp800108ParamDecoder.MAX_ADDITIONAL_KEYS + 1);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.SP800_108_COUNTER_KDF, p, 40), "too many keys");
        p.setLong(24, 1);
        assertEquals(CKR.OK, derive(CKM.SP800_108_COUNTER_KDF, p, 40));
        assertEquals(1, decoded(MechanismParams.Sp800108Kdf.class).additionalDerivedKeys().size());
        Reference.reachabilityFence(format);
        Reference.reachabilityFence(data);
        Reference.reachabilityFence(keep);
    }

    static Memory pbkdf2(Pointer salt, Pointer password, long passwordLenField) {
        Memory p = struct(72);
        p.setLong(0, CKZ.SALT_SPECIFIED);
        p.setPointer(8, salt);
        p.setLong(16, 4);
        p.setLong(24, 1000);
        p.setLong(32, CKP.PKCS5_PBKD2_HMAC_SHA256);
        p.setPointer(56, password);
        p.setLong(64, passwordLenField);
        return p;
    }

    @Test
    void pbkdf2TakesTheLengthOrAPointerToIt() {
        Memory salt = bytes(new byte[] {1, 2, 3, 4});
        Memory password = bytes("password".getBytes());
        assertEquals(CKR.OK, generate(CKM.PKCS5_PBKD2, pbkdf2(salt, password, 8), 72), "CK_PKCS5_PBKD2_PARAMS2");
        MechanismParams.Pbkdf2 p = decoded(MechanismParams.Pbkdf2.class);
        assertEquals(CKZ.SALT_SPECIFIED, p.saltSource());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, p.saltSourceData());
        assertEquals(1000, p.iterations());
        assertEquals(CKP.PKCS5_PBKD2_HMAC_SHA256, p.prf());
        assertEquals(0, p.prfData().length);
        assertArrayEquals("password".getBytes(), p.password());

        Memory len = ulong(5);
        assertEquals(CKR.OK, generate(CKM.PKCS5_PBKD2, pbkdf2(salt, password, Pointer.nativeValue(len)), 72), "CK_PKCS5_PBKD2_PARAMS");
        assertArrayEquals("passw".getBytes(), decoded(MechanismParams.Pbkdf2.class).password());
        len.setLong(0, -1);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, generate(CKM.PKCS5_PBKD2, pbkdf2(salt, password, Pointer.nativeValue(len)), 72));
        Reference.reachabilityFence(len);

        assertEquals(CKR.OK, generate(CKM.PKCS5_PBKD2, pbkdf2(salt, Pointer.NULL, 0), 72));
        assertNull(decoded(MechanismParams.Pbkdf2.class).password(), "NULL pPassword: the engine refuses it");
        for (long absurd : new long[] {-1, 1L << 62, 1L << 46, 0x10_0008L, 0x10_0001L}) {
            assertEquals(CKR.MECHANISM_PARAM_INVALID, generate(CKM.PKCS5_PBKD2, pbkdf2(salt, password, absurd), 72),
                    "ulPasswordLen " + Long.toHexString(absurd) + " is neither a length nor a mapped pointer");
        }
        assertEquals(CKR.MECHANISM_PARAM_INVALID, generate(CKM.PKCS5_PBKD2, pbkdf2(salt, password, 8), 64));
        assertEquals(CKR.MECHANISM_PARAM_INVALID, generate(CKM.PKCS5_PBKD2, pbkdf2(salt, Pointer.NULL, 8), 72));
        Reference.reachabilityFence(salt);
        Reference.reachabilityFence(password);
    }
}
