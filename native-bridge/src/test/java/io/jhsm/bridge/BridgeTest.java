package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;
import static io.jhsm.bridge.ModuleClient.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Ck;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real shim and JNA marshalling, loaded into this JVM (the attach path), with the recording
 * double as engine (surefire sets -Djhsm.engine).
 */
class BridgeTest {
    static ModuleClient m;

    @BeforeAll
    static void init() {
        m = new ModuleClient();
        assertEquals(CKR.OK, m.call(C_Initialize, Pointer.NULL));
    }

    @AfterAll
    static void fin() {
        assertEquals(CKR.OK, m.call(C_Finalize, Pointer.NULL));
    }

    static String text(Memory mem, long offset, int width) {
        return new String(mem.getByteArray(offset, width), StandardCharsets.UTF_8);
    }

    @Test
    void getInfoPadsStringsAndWritesVersions() {
        Memory info = new Memory(88);
        assertEquals(CKR.OK, m.call(C_GetInfo, info));
        assertEquals(3, info.getByte(0));
        assertEquals(0, info.getByte(1));
        assertEquals("jhsm test" + " ".repeat(23), text(info, 2, 32));
        assertEquals("recording double" + " ".repeat(16), text(info, 48, 32));
        assertEquals(1, info.getByte(81));
    }

    @Test
    void tokenLabelIsCutAtACharacterBoundary() {
        Memory info = new Memory(208);
        assertEquals(CKR.OK, m.call(C_GetTokenInfo, 7L, info));
        assertEquals("a".repeat(31) + " ", text(info, 0, 32));
        assertEquals(0x40D, info.getLong(96));
        assertEquals(4, info.getLong(144));
        assertEquals("2024010112000000", text(info, 188, 16));
    }

    @Test
    void slotListFollowsTheTwoCallProtocol() {
        Memory count = ulong(0);
        assertEquals(CKR.OK, m.call(C_GetSlotList, (byte) 0, Pointer.NULL, count));
        assertEquals(3, count.getLong(0));
        Memory slots = new Memory(24);
        count.setLong(0, 2);
        assertEquals(CKR.BUFFER_TOO_SMALL, m.call(C_GetSlotList, (byte) 0, slots, count));
        assertEquals(3, count.getLong(0));
        assertEquals(CKR.OK, m.call(C_GetSlotList, (byte) 0, slots, count));
        assertArrayEquals(new long[] {1, 7, 42}, slots.getLongArray(0, 3));
        assertEquals(CKR.OK, m.call(C_GetSlotList, (byte) 1, slots, count));
        assertEquals(1, count.getLong(0));
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_GetSlotList, (byte) 0, Pointer.NULL, Pointer.NULL));
    }

    @Test
    void outputBufferLengthQueryTooSmallAndFit() {
        Memory in = bytes(new byte[] {1, 2, 3});
        Memory len = ulong(0);
        assertEquals(CKR.OK, m.call(C_Encrypt, 1L, in, 3L, Pointer.NULL, len));
        assertEquals(6, len.getLong(0));
        Memory out = new Memory(16);
        len.setLong(0, 5);
        assertEquals(CKR.BUFFER_TOO_SMALL, m.call(C_Encrypt, 1L, in, 3L, out, len));
        assertEquals(6, len.getLong(0));
        len.setLong(0, 16);
        assertEquals(CKR.OK, m.call(C_Encrypt, 1L, in, 3L, out, len));
        assertEquals(6, len.getLong(0));
        assertArrayEquals(new byte[] {1, 2, 3, 1, 2, 3}, out.getByteArray(0, 6));
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_Encrypt, 1L, in, 3L, out, Pointer.NULL));
    }

    @Test
    void hugeLengthsAreRefusedNotThrown() {
        Memory len = ulong(16);
        assertEquals(CKR.DATA_LEN_RANGE, m.call(C_Encrypt, 1L, new Memory(8), -1L, new Memory(16), len));
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_GenerateRandom, 1L, new Memory(8), 1L << 40));
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_CreateObject, 1L, new Memory(24), -5L, ulong(0)));
    }

    @Test
    void nullPointersAreArgumentsBad() {
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_GetInfo, Pointer.NULL));
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_GetSessionInfo, 1L, Pointer.NULL));
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_OpenSession, 7L, 6L, Pointer.NULL, Pointer.NULL, Pointer.NULL));
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_CreateObject, 1L, Pointer.NULL, 2L, ulong(0)));
        Memory nullValueWithLength = attributes(new long[] {CKA.LABEL}, new Pointer[] {Pointer.NULL}, new long[] {4});
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_CreateObject, 1L, nullValueWithLength, 1L, ulong(0)));
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_InitToken, 7L, Pointer.NULL, 0L, Pointer.NULL));
    }

    @Test
    void javaFailuresBecomeTheirRvNeverOk() {
        assertEquals(CKR.GENERAL_ERROR, m.call(C_Logout, 1L));
        assertEquals(CKR.SESSION_HANDLE_INVALID, m.call(C_CloseSession, 666L));
        assertEquals(CKR.OK, m.call(C_CloseSession, 1L));
        assertEquals(CKR.FUNCTION_NOT_SUPPORTED, m.call(C_DigestKey, 1L, 2L));
        assertEquals(CKR.FUNCTION_NOT_PARALLEL, m.call(C_GetFunctionStatus, 1L));
    }

    @Test
    void templatesDecodeWithNestedArrays() {
        Memory label = bytes("key".getBytes());
        Memory inner = attributes(new long[] {CKA.SENSITIVE}, new Pointer[] {bytes(new byte[] {1})}, new long[] {1});
        Memory t = attributes(new long[] {CKA.LABEL, CKA.WRAP_TEMPLATE, CKA.ID},
                new Pointer[] {label, inner, Pointer.NULL}, new long[] {3, 24, 0});
        Memory handle = ulong(0);
        assertEquals(CKR.OK, m.call(C_CreateObject, 1L, t, 3L, handle));
        assertEquals(99, handle.getLong(0));
        List<Attribute> got = RecordingCryptoki.last.template;
        assertEquals(Attribute.of(CKA.LABEL, "key"), got.get(0));
        assertEquals(Attribute.ofTemplate(CKA.WRAP_TEMPLATE, List.of(Attribute.of(CKA.SENSITIVE, true))), got.get(1));
        assertEquals(0, got.get(2).value().length);
    }

    @Test
    void kemTemplatesDecodeAsNestedArraysThoughTheyLackTheArrayBit() {
        Memory inner = attributes(new long[] {CKA.EXTRACTABLE}, new Pointer[] {bytes(new byte[] {0})}, new long[] {1});
        Memory inner2 = attributes(new long[] {CKA.SENSITIVE}, new Pointer[] {bytes(new byte[] {1})}, new long[] {1});
        Memory t = attributes(new long[] {CKA.ENCAPSULATE_TEMPLATE, CKA.DECAPSULATE_TEMPLATE},
                new Pointer[] {inner, inner2}, new long[] {24, 24});
        assertEquals(CKR.OK, m.call(C_CreateObject, 1L, t, 2L, ulong(0)));
        List<Attribute> got = RecordingCryptoki.last.template;
        assertEquals(Attribute.ofTemplate(CKA.ENCAPSULATE_TEMPLATE, List.of(Attribute.of(CKA.EXTRACTABLE, false))), got.get(0));
        assertEquals(Attribute.ofTemplate(CKA.DECAPSULATE_TEMPLATE, List.of(Attribute.of(CKA.SENSITIVE, true))), got.get(1));
    }

    @Test
    void getAttributeValueProcessesEveryAttribute() {
        Memory labelBuf = new Memory(16);
        Memory t = attributes(new long[] {CKA.LABEL, CKA.VALUE, CKA.MODULUS, CKA.LABEL, CKA.WRAP_TEMPLATE},
                new Pointer[] {labelBuf, new Memory(16), new Memory(16), new Memory(2), Pointer.NULL},
                new long[] {16, 16, 16, 2, 0});
        long rv = m.call(C_GetAttributeValue, 1L, 2L, t, 5L);
        assertEquals(CKR.ATTRIBUTE_SENSITIVE, rv, "first per-attribute error met");
        assertEquals(5, t.getLong(16));
        assertEquals("hello", new String(labelBuf.getByteArray(0, 5)));
        assertEquals(Ck.UNAVAILABLE_INFORMATION, t.getLong(24 + 16));
        assertEquals(Ck.UNAVAILABLE_INFORMATION, t.getLong(48 + 16));
        assertEquals(Ck.UNAVAILABLE_INFORMATION, t.getLong(72 + 16), "short buffer");
        assertEquals(48, t.getLong(96 + 16), "attribute array length query");

        Memory classBuf = new Memory(8);
        Memory nested = attributes(new long[] {0, 0}, new Pointer[] {classBuf, Pointer.NULL}, new long[] {8, 0});
        Memory wrap = attributes(new long[] {CKA.WRAP_TEMPLATE}, new Pointer[] {nested}, new long[] {48});
        assertEquals(CKR.OK, m.call(C_GetAttributeValue, 1L, 2L, wrap, 1L));
        assertEquals(CKA.CLASS, nested.getLong(0));
        assertEquals(4, classBuf.getLong(0));
        assertEquals(CKA.TOKEN, nested.getLong(24));
        assertEquals(1, nested.getLong(24 + 16));
    }

    @Test
    void gcmPssOaepParametersAreDecoded() {
        Memory iv = bytes(new byte[12]);
        Memory aad = bytes(new byte[] {9, 9});
        Memory gcm = gcmParams(iv, 12, 96, aad, 2, 128);
        assertEquals(CKR.OK, m.call(C_EncryptInit, 1L, mechanism(CKM.AES_GCM, gcm, 48), 5L));
        MechanismParams.Gcm g = RecordingCryptoki.last.mechanism.params(MechanismParams.Gcm.class);
        assertEquals(12, g.iv().length);
        assertEquals(96, g.ivBits());
        assertArrayEquals(new byte[] {9, 9}, g.aad());
        assertEquals(128, g.tagBits());
        assertEquals(CKR.MECHANISM_PARAM_INVALID, m.call(C_EncryptInit, 1L, mechanism(CKM.AES_GCM, gcm, 40), 5L));

        Memory pss = new Memory(24);
        pss.setLong(0, CKM.SHA256);
        pss.setLong(8, 2);
        pss.setLong(16, 32);
        assertEquals(CKR.OK, m.call(C_SignInit, 1L, mechanism(CKM.SHA256_RSA_PKCS_PSS, pss, 24), 5L));
        assertEquals(new MechanismParams.Pss(CKM.SHA256, 2, 32), RecordingCryptoki.last.mechanism.params());

        Memory oaep = new Memory(40);
        oaep.setLong(0, CKM.SHA256);
        oaep.setLong(8, 2);
        oaep.setLong(16, 1);
        oaep.setPointer(24, Pointer.NULL);
        oaep.setLong(32, 0);
        assertEquals(CKR.OK, m.call(C_DecryptInit, 1L, mechanism(CKM.RSA_PKCS_OAEP, oaep, 40), 5L));
        MechanismParams.Oaep o = RecordingCryptoki.last.mechanism.params(MechanismParams.Oaep.class);
        assertEquals(1, o.source());
        assertEquals(0, o.sourceData().length);

        assertEquals(CKR.OK, m.call(C_EncryptInit, 1L, mechanism(CKM.AES_CBC_PAD, iv, 12), 5L));
        assertEquals(new MechanismParams.Bytes(new byte[12]), RecordingCryptoki.last.mechanism.params());
        assertEquals(CKR.OK, m.call(C_EncryptInit, 1L, Pointer.NULL, 0L));
        assertNull(RecordingCryptoki.last.mechanism, "NULL mechanism reaches the engine as null (3.0: cancel)");
    }

    @Test
    void cloudHsmGcmTakesANullPIvWhateverUlIvLenSays() {
        Memory gcm = gcmParams(Pointer.NULL, 12, 96, Pointer.NULL, 0, 128);
        assertEquals(CKR.OK, m.call(C_EncryptInit, 1L, mechanism(CKM.CLOUDHSM_AES_GCM, gcm, 48), 5L));
        assertEquals(0, RecordingCryptoki.last.mechanism.params(MechanismParams.Gcm.class).iv().length, "pIv NULL: no IV");
        assertEquals(CKR.MECHANISM_PARAM_INVALID, m.call(C_EncryptInit, 1L, mechanism(CKM.AES_GCM, gcm, 48), 5L),
                "CKM_AES_GCM keeps refusing a NULL pIv with a length");
    }

    /** Calls through the CK_FUNCTION_LIST_3_0 (C_GetInterface): the message functions are not in the 2.40 list. */
    static long call30(int index, Object... args) {
        com.sun.jna.ptr.PointerByReference iface = new com.sun.jna.ptr.PointerByReference();
        assertEquals(CKR.OK, LIB.getFunction("C_GetInterface").invokeLong(new Object[] {Pointer.NULL, Pointer.NULL, iface, 0L}));
        return ModuleClient.function(iface.getValue().getPointer(8), index).invokeLong(args);
    }

    /** A CK_GCM_PARAMS: pIv, ulIvLen, ulIvBits, pAAD, ulAADLen, ulTagBits. */
    static Memory gcmParams(Pointer iv, long ivLen, long ivBits, Pointer aad, long aadLen, long tagBits) {
        Memory p = new Memory(48);
        p.setPointer(0, iv);
        p.setLong(8, ivLen);
        p.setLong(16, ivBits);
        p.setPointer(24, aad);
        p.setLong(32, aadLen);
        p.setLong(40, tagBits);
        return p;
    }

    /** A CK_GCM_MESSAGE_PARAMS: pIv, ulIvLen, ulIvFixedBits, ivGenerator, pTag, ulTagBits. */
    static Memory gcmMessage(Pointer iv, long ivLen, long fixedBits, long generator, Pointer tag, long tagBits) {
        Memory p = new Memory(48);
        p.setPointer(0, iv);
        p.setLong(8, ivLen);
        p.setLong(16, fixedBits);
        p.setLong(24, generator);
        p.setPointer(32, tag);
        p.setLong(40, tagBits);
        return p;
    }

    @Test
    void gcmMessageParametersAreInOutForEncryptionOnly() {
        Memory iv = bytes(new byte[12]);
        Memory tag = bytes(new byte[16]);
        Memory p = gcmMessage(iv, 12, 32, 3, tag, 128);
        Memory in = bytes(new byte[] {1, 2, 3});
        Memory len = ulong(0);
        assertEquals(CKR.OK, call30(C_EncryptMessage, 1L, p, 48L, bytes(new byte[] {7, 7}), 2L, in, 3L, Pointer.NULL, len));
        assertEquals(6, len.getLong(0));
        MechanismParams.GcmMessage g = (MechanismParams.GcmMessage) RecordingCryptoki.last.messageParam;
        assertEquals(12, g.iv().length);
        assertEquals(32, g.ivFixedBits());
        assertEquals(3, g.ivGenerator());
        assertEquals(16, g.tag().length);
        assertEquals(128, g.tagBits());
        assertArrayEquals(new byte[] {7, 7}, RecordingCryptoki.last.label, "associated data");
        Memory out = new Memory(6);
        assertEquals(CKR.OK, call30(C_EncryptMessage, 1L, p, 48L, Pointer.NULL, 0L, in, 3L, out, len));
        assertArrayEquals(new byte[] {1, 2, 3, 1, 2, 3}, out.getByteArray(0, 6));
        byte[] ivAfter = new byte[12];
        java.util.Arrays.fill(ivAfter, (byte) 0x11);
        assertArrayEquals(ivAfter, iv.getByteArray(0, 12), "generated IV written back");
        byte[] tagAfter = new byte[16];
        java.util.Arrays.fill(tagAfter, (byte) 0x22);
        assertArrayEquals(tagAfter, tag.getByteArray(0, 16), "tag written back");

        Memory dIv = bytes(new byte[12]);
        Memory dTag = bytes(new byte[16]);
        assertEquals(CKR.OK, call30(C_DecryptMessage, 1L, gcmMessage(dIv, 12, 0, 0, dTag, 128), 48L, Pointer.NULL, 0L, in, 3L, out, ulong(6)));
        assertArrayEquals(new byte[12], dIv.getByteArray(0, 12), "a decryption's parameter is never written");
        assertArrayEquals(new byte[16], dTag.getByteArray(0, 16));

        assertEquals(CKR.OK, call30(C_EncryptMessageNext, 1L, p, 48L, in, 3L, out, ulong(6), CKF.END_OF_MESSAGE));
        assertEquals(CKF.END_OF_MESSAGE, RecordingCryptoki.last.messageFlags);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, call30(C_EncryptMessage, 1L, gcmMessage(iv, 12, 0, 0, Pointer.NULL, 128), 48L,
                Pointer.NULL, 0L, in, 3L, out, ulong(6)), "NULL pTag with a tag length");
        assertEquals(CKR.ARGUMENTS_BAD, call30(C_EncryptMessage, 1L, Pointer.NULL, 48L, Pointer.NULL, 0L, in, 3L, out, ulong(6)));
    }

    @Test
    void ccmMessageParametersAndSignatureFinishMarkers() {
        Memory nonce = bytes(new byte[13]);
        Memory mac = bytes(new byte[8]);
        Memory p = new Memory(56);
        p.setLong(0, 3);
        p.setPointer(8, nonce);
        p.setLong(16, 13);
        p.setLong(24, 40);
        p.setLong(32, 2);
        p.setPointer(40, mac);
        p.setLong(48, 8);
        assertEquals(CKR.OK, call30(C_EncryptMessageBegin, 1L, p, 56L, Pointer.NULL, 0L));
        MechanismParams.CcmMessage c = (MechanismParams.CcmMessage) RecordingCryptoki.last.messageParam;
        assertEquals(3, c.dataLen());
        assertEquals(40, c.nonceFixedBits());
        assertEquals(2, c.nonceGenerator());
        assertEquals(8, c.mac().length);
        assertEquals(0x11, nonce.getByte(12), "nonce generated at Begin written back");

        Memory in = bytes(new byte[] {4, 5});
        assertEquals(CKR.OK, call30(C_SignMessageNext, 1L, Pointer.NULL, 0L, in, 2L, Pointer.NULL, Pointer.NULL));
        assertFalse(RecordingCryptoki.last.lastPart, "pulSignatureLen NULL: not the last part");
        assertNull(RecordingCryptoki.last.messageParam);
        Memory len = ulong(0);
        assertEquals(CKR.OK, call30(C_SignMessageNext, 1L, Pointer.NULL, 0L, in, 2L, Pointer.NULL, len));
        assertTrue(RecordingCryptoki.last.lastPart);
        assertEquals(4, len.getLong(0));
        assertEquals(CKR.OK, call30(C_VerifyMessageNext, 1L, Pointer.NULL, 0L, in, 2L, Pointer.NULL, 0L));
        assertNull(RecordingCryptoki.last.data, "pSignature NULL: not the last part");
        assertEquals(CKR.OK, call30(C_VerifyMessageNext, 1L, Pointer.NULL, 0L, in, 2L, in, 2L));
        assertArrayEquals(new byte[] {4, 5}, RecordingCryptoki.last.data);
        assertEquals(CKR.FUNCTION_NOT_SUPPORTED, call30(C_MessageSignFinal, 1L), "the double keeps the default");
    }

    @Test
    void initializeArgsFollowTheSpecification() {
        Memory args = new Memory(48);
        args.clear();
        args.setLong(40, 1);
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_Initialize, args), "pReserved");
        args.clear();
        args.setLong(0, 1);
        assertEquals(CKR.ARGUMENTS_BAD, m.call(C_Initialize, args), "one mutex function");
        for (int i = 0; i < 4; i++) {
            args.setLong(8L * i, 0x1000 + i);
        }
        assertEquals(CKR.CANT_LOCK, m.call(C_Initialize, args));
        args.setLong(32, CKF.OS_LOCKING_OK);
        assertEquals(CKR.CRYPTOKI_ALREADY_INITIALIZED, m.call(C_Initialize, args), "acceptable args reach the module");
    }

    @Test
    void finalizeAndInitializeCycleRecreatesTheEngine() {
        for (int i = 0; i < 3; i++) {
            RecordingCryptoki before = RecordingCryptoki.last;
            assertEquals(CKR.OK, m.call(C_Finalize, Pointer.NULL));
            assertTrue(before.finalized);
            assertEquals(CKR.CRYPTOKI_NOT_INITIALIZED, m.call(C_GetInfo, new Memory(88)));
            assertEquals(CKR.CRYPTOKI_NOT_INITIALIZED, m.call(C_Finalize, Pointer.NULL));
            assertEquals(CKR.OK, m.call(C_Initialize, Pointer.NULL));
            assertNotSame(before, RecordingCryptoki.last);
        }
    }

    @Test
    void initTokenPassesTheFullLabelAndRandomFills() {
        byte[] label = ("my token" + " ".repeat(24)).getBytes();
        assertEquals(CKR.OK, m.call(C_InitToken, 7L, bytes("1234".getBytes()), 4L, bytes(label)));
        assertArrayEquals(label, RecordingCryptoki.last.label);
        Memory random = new Memory(10);
        assertEquals(CKR.OK, m.call(C_GenerateRandom, 1L, random, 10L));
        assertEquals(0x5A, random.getByte(9));
    }

    @Test
    void interfacesAreAnsweredInC() {
        Memory count = ulong(0);
        Function list = LIB.getFunction("C_GetInterfaceList");
        assertEquals(CKR.OK, list.invokeLong(new Object[] {Pointer.NULL, count}));
        assertEquals(3, count.getLong(0));
        Memory ifaces = new Memory(72);
        count.setLong(0, 1);
        assertEquals(CKR.BUFFER_TOO_SMALL, list.invokeLong(new Object[] {ifaces, count}));
        assertEquals(CKR.OK, list.invokeLong(new Object[] {ifaces, count}));
        assertEquals("PKCS 11", ifaces.getPointer(0).getString(0));
        assertEquals(0, ifaces.getLong(16), "not CKF_INTERFACE_FORK_SAFE");

        com.sun.jna.ptr.PointerByReference iface = new com.sun.jna.ptr.PointerByReference();
        Function get = LIB.getFunction("C_GetInterface");
        assertEquals(CKR.OK, get.invokeLong(new Object[] {Pointer.NULL, Pointer.NULL, iface, 0L}));
        Pointer list30 = iface.getValue().getPointer(8);
        assertEquals(3, list30.getByte(0));
        assertEquals(0, list30.getByte(1));
        Memory v240 = new Memory(2);
        v240.setByte(0, (byte) 2);
        v240.setByte(1, (byte) 40);
        assertEquals(CKR.OK, get.invokeLong(new Object[] {bytes("PKCS 11\0".getBytes()), v240, iface, 0L}));
        assertEquals(m.list, iface.getValue().getPointer(8));
        assertEquals(CKR.ARGUMENTS_BAD, get.invokeLong(new Object[] {bytes("Vendor\0".getBytes()), Pointer.NULL, iface, 0L}));
        assertEquals(CKR.ARGUMENTS_BAD, get.invokeLong(new Object[] {Pointer.NULL, Pointer.NULL, iface, CKF.INTERFACE_FORK_SAFE}));

        Memory info = new Memory(32);
        assertEquals(CKR.OK, ModuleClient.function(list30, C_GetSessionInfo).invokeLong(new Object[] {1L, info}));
        assertEquals(7, info.getLong(0));
        assertEquals(CKR.FUNCTION_NOT_SUPPORTED, ModuleClient.function(list30, C_LoginUser)
                .invokeLong(new Object[] {1L, 1L, Pointer.NULL, 0L, bytes(new byte[] {'u'}), 1L}));
        assertEquals(CKR.FUNCTION_NOT_SUPPORTED, ModuleClient.function(list30, C_MessageVerifyFinal).invokeLong(new Object[] {1L}));
    }

    @Test
    void perCallCostThroughJna() {
        Memory info = new Memory(32);
        Function f = ModuleClient.function(m.list, C_GetSessionInfo);
        Object[] args = {1L, info};
        for (int i = 0; i < 200_000; i++) {
            f.invokeLong(args);
        }
        int n = 1_000_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            f.invokeLong(args);
        }
        double ns = (System.nanoTime() - t0) / (double) n;
        System.out.printf("jhsm bench: C_GetSessionInfo Java->JNA->C->JNA->Java round trip: %.0f ns/call (Java %s)%n", ns, Runtime.version());
        assertEquals(3, info.getLong(8));
    }
}
