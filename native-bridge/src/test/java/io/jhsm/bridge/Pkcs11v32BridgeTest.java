package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;
import static io.jhsm.bridge.ModuleClient.*;
import static io.jhsm.bridge.ParamCalls.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.jhsm.pkcs11.CKH;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.MechanismParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PKCS#11 3.2 interface of the real shim (CK_FUNCTION_LIST_3_2 by C_GetInterface), the KEM
 * functions' marshalling and the CK_SIGN_ADDITIONAL_CONTEXT decoders, against the recording engine.
 */
class Pkcs11v32BridgeTest {
    static Pointer list32;

    @BeforeAll
    static void init() {
        assertEquals(CKR.OK, m.call(C_Initialize, Pointer.NULL));
        list32 = interfaceList(3, 2);
    }

    @AfterAll
    static void fin() {
        assertEquals(CKR.OK, m.call(C_Finalize, Pointer.NULL));
    }

    static Pointer interfaceList(int major, int minor) {
        Memory version = new Memory(2);
        version.setByte(0, (byte) major);
        version.setByte(1, (byte) minor);
        PointerByReference iface = new PointerByReference();
        assertEquals(CKR.OK, LIB.getFunction("C_GetInterface").invokeLong(new Object[] {bytes("PKCS 11\0".getBytes()), version, iface, 0L}));
        return iface.getValue().getPointer(8);
    }

    static long call32(int index, Object... args) {
        return ModuleClient.function(list32, index).invokeLong(args);
    }

    @Test
    void version32ListExtendsThe30ListWhichStaysTheDefault() {
        assertEquals(3, list32.getByte(0));
        assertEquals(2, list32.getByte(1));
        PointerByReference iface = new PointerByReference();
        assertEquals(CKR.OK, LIB.getFunction("C_GetInterface").invokeLong(new Object[] {Pointer.NULL, Pointer.NULL, iface, 0L}));
        Pointer byDefault = iface.getValue().getPointer(8);
        assertEquals(0, byDefault.getByte(1), "C_GetInterface(NULL, NULL) keeps answering 3.0");
        assertEquals(byDefault, interfaceList(3, 0));
        for (int i = 0; i < 92; i++) {
            assertEquals(byDefault.getPointer(8 + 8L * i), list32.getPointer(8 + 8L * i), "entry " + i);
        }
    }

    @Test
    void theAsyncFunctionsAnswerFunctionNotSupported() {
        assertEquals(CKR.FUNCTION_NOT_SUPPORTED, call32(C_AsyncComplete, 1L, Pointer.NULL, Pointer.NULL));
        assertEquals(CKR.FUNCTION_NOT_SUPPORTED, call32(C_AsyncGetID, 1L, Pointer.NULL, ulong(0)));
        assertEquals(CKR.FUNCTION_NOT_SUPPORTED, call32(C_AsyncJoin, 1L, Pointer.NULL, 0L, Pointer.NULL, 0L));
    }

    @Test
    void sessionValidationFlagsAreWrittenAndANullPointerIsArgumentsBad() {
        Memory flags = ulong(0x55);
        assertEquals(CKR.OK, call32(C_GetSessionValidationFlags, 1L, 1L, flags));
        assertEquals(0, flags.getLong(0));
        assertEquals(CKR.SESSION_HANDLE_INVALID, call32(C_GetSessionValidationFlags, 2L, 1L, flags));
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_GetSessionValidationFlags, 1L, 1L, Pointer.NULL));
    }

    @Test
    void wrapKeyAuthenticatedPassesTheAssociatedDataAndFollowsTheTwoCallProtocol() {
        Memory gcm = mechanism(CKM.AES_GCM, Pointer.NULL, 0);
        Memory len = ulong(0);
        Memory aad = bytes(new byte[] {1, 2, 3});
        assertEquals(CKR.OK, call32(C_WrapKeyAuthenticated, 1L, gcm, 5L, 6L, aad, 3L, Pointer.NULL, len));
        assertEquals(3, len.getLong(0));
        assertArrayEquals(new byte[] {1, 2, 3}, RecordingCryptoki.last.data);
        Memory out = new Memory(3);
        len.setLong(0, 2);
        assertEquals(CKR.BUFFER_TOO_SMALL, call32(C_WrapKeyAuthenticated, 1L, gcm, 5L, 6L, aad, 3L, out, len));
        assertEquals(3, len.getLong(0));
        assertEquals(CKR.OK, call32(C_WrapKeyAuthenticated, 1L, gcm, 5L, 6L, aad, 3L, out, len));
        assertArrayEquals(new byte[] {0x44, 0x44, 0x44}, out.getByteArray(0, 3));
        assertEquals(CKR.OK, call32(C_WrapKeyAuthenticated, 1L, gcm, 5L, 6L, Pointer.NULL, 0L, Pointer.NULL, len));
        assertArrayEquals(new byte[0], RecordingCryptoki.last.data, "NULL with length 0 is no associated data");
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_WrapKeyAuthenticated, 1L, gcm, 5L, 6L, Pointer.NULL, 4L, Pointer.NULL, len));
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_WrapKeyAuthenticated, 1L, gcm, 5L, 6L, aad, 3L, Pointer.NULL, Pointer.NULL));
    }

    @Test
    void unwrapKeyAuthenticatedTakesTenArgumentsThroughTheShim() {
        Memory gcm = mechanism(CKM.AES_GCM, Pointer.NULL, 0);
        Memory key = ulong(0);
        Memory aad = bytes(new byte[] {9, 8, 7, 6});
        assertEquals(CKR.OK, call32(C_UnwrapKeyAuthenticated, 1L, gcm, 5L, bytes(new byte[8]), 8L, Pointer.NULL, 0L, aad, 4L, key));
        assertEquals(61, key.getLong(0), "the tenth argument, phKey, arrived");
        assertArrayEquals(new byte[] {9, 8, 7, 6}, RecordingCryptoki.last.data, "the ninth, ulAssociatedDataLen, too");
        assertEquals(CKM.AES_GCM, RecordingCryptoki.last.mechanism.type());
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_UnwrapKeyAuthenticated, 1L, gcm, 5L, bytes(new byte[8]), 8L, Pointer.NULL, 0L, aad, 4L,
                Pointer.NULL));
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_UnwrapKeyAuthenticated, 1L, gcm, 5L, bytes(new byte[8]), 8L, Pointer.NULL, 0L,
                Pointer.NULL, 4L, key));
    }

    @Test
    void encapsulateFollowsTheTwoCallProtocolAndReturnsTheKey() {
        Memory len = ulong(0);
        Memory key = ulong(0);
        Memory kem = mechanism(CKM.ML_KEM, Pointer.NULL, 0);
        assertEquals(CKR.OK, call32(C_EncapsulateKey, 1L, kem, 5L, Pointer.NULL, 0L, Pointer.NULL, len, key));
        assertEquals(5, len.getLong(0));
        assertEquals(0, key.getLong(0), "a length query makes no key");
        Memory ct = new Memory(8);
        ct.clear();
        len.setLong(0, 4);
        assertEquals(CKR.BUFFER_TOO_SMALL, call32(C_EncapsulateKey, 1L, kem, 5L, Pointer.NULL, 0L, ct, len, key));
        assertEquals(5, len.getLong(0));
        len.setLong(0, 8);
        assertEquals(CKR.OK, call32(C_EncapsulateKey, 1L, kem, 5L, Pointer.NULL, 0L, ct, len, key));
        assertEquals(5, len.getLong(0));
        assertEquals(51, key.getLong(0));
        assertArrayEquals(new byte[] {0x33, 0x33, 0x33, 0x33, 0x33, 0, 0, 0}, ct.getByteArray(0, 8));
        assertEquals(CKM.ML_KEM, RecordingCryptoki.last.mechanism.type());
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_EncapsulateKey, 1L, kem, 5L, Pointer.NULL, 0L, ct, Pointer.NULL, key));
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_EncapsulateKey, 1L, kem, 5L, Pointer.NULL, 0L, ct, len, Pointer.NULL));
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_EncapsulateKey, 1L, Pointer.NULL, 5L, Pointer.NULL, 0L, ct, len, key));
    }

    @Test
    void verifySignatureInitPassesTheSignatureAndANullMechanismCancels() {
        Memory mldsa = mechanism(CKM.ML_DSA, Pointer.NULL, 0);
        assertEquals(CKR.OK, call32(C_VerifySignatureInit, 1L, mldsa, 5L, bytes(new byte[] {1, 2, 3}), 3L));
        assertEquals(CKM.ML_DSA, RecordingCryptoki.last.mechanism.type());
        assertArrayEquals(new byte[] {1, 2, 3}, RecordingCryptoki.last.data);
        assertEquals(CKR.OK, call32(C_VerifySignatureInit, 1L, mldsa, 5L, Pointer.NULL, 0L));
        assertArrayEquals(new byte[0], RecordingCryptoki.last.data, "NULL with length 0 is an empty signature");
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_VerifySignatureInit, 1L, mldsa, 5L, Pointer.NULL, 4L));
        assertEquals(CKR.OK, call32(C_VerifySignatureInit, 1L, Pointer.NULL, 0L, Pointer.NULL, 9L));
        assertNull(RecordingCryptoki.last.mechanism, "a NULL mechanism cancels; the signature is not read");
    }

    @Test
    void verifySignatureDataGoesThroughAndABadPointerEndsTheOperation() {
        Memory mldsa = mechanism(CKM.ML_DSA, Pointer.NULL, 0);
        assertEquals(CKR.OK, call32(C_VerifySignature, 1L, bytes(new byte[] {7, 8}), 2L));
        assertArrayEquals(new byte[] {7, 8}, RecordingCryptoki.last.data);
        assertEquals(CKR.OK, call32(C_VerifySignatureUpdate, 1L, bytes(new byte[] {9}), 1L));
        assertArrayEquals(new byte[] {9}, RecordingCryptoki.last.data);
        assertEquals(CKR.SIGNATURE_INVALID, call32(C_VerifySignatureFinal, 1L));
        assertEquals(CKR.OK, call32(C_VerifySignatureInit, 1L, mldsa, 5L, Pointer.NULL, 0L));
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_VerifySignature, 1L, Pointer.NULL, 4L));
        assertNull(RecordingCryptoki.last.mechanism, "the refused input cancelled the operation");
        assertEquals(CKR.OK, call32(C_VerifySignatureInit, 1L, mldsa, 5L, Pointer.NULL, 0L));
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_VerifySignatureUpdate, 1L, Pointer.NULL, 4L));
        assertNull(RecordingCryptoki.last.mechanism, "the refused input cancelled the operation");
    }

    @Test
    void decapsulatePassesTheCiphertextAndReturnsTheKey() {
        Memory key = ulong(0);
        Memory kem = mechanism(CKM.ML_KEM, Pointer.NULL, 0);
        assertEquals(CKR.OK, call32(C_DecapsulateKey, 1L, kem, 6L, Pointer.NULL, 0L, bytes(new byte[] {1, 2, 3}), 3L, key));
        assertEquals(52, key.getLong(0));
        assertArrayEquals(new byte[] {1, 2, 3}, RecordingCryptoki.last.data);
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_DecapsulateKey, 1L, kem, 6L, Pointer.NULL, 0L, bytes(new byte[] {1}), 1L, Pointer.NULL));
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_DecapsulateKey, 1L, kem, 6L, Pointer.NULL, 0L, Pointer.NULL, 0L, key));
        assertEquals(CKR.ARGUMENTS_BAD, call32(C_DecapsulateKey, 1L, kem, 6L, Pointer.NULL, 0L, Pointer.NULL, 3L, key));
    }

    @Test
    void signAdditionalContextIsDecodedAndCheckedForLength() {
        Memory ctx = bytes("abc".getBytes());
        Memory p = dirty(24);
        p.setLong(0, CKH.DETERMINISTIC_REQUIRED);
        p.setPointer(8, ctx);
        p.setLong(16, 3);
        assertEquals(CKR.OK, signInit(CKM.ML_DSA, p, 24));
        MechanismParams.SignAdditionalContext c = decoded(MechanismParams.SignAdditionalContext.class);
        assertEquals(CKH.DETERMINISTIC_REQUIRED, c.hedgeVariant());
        assertArrayEquals("abc".getBytes(), c.context());
        assertEquals(CKR.OK, signInit(CKM.HASH_SLH_DSA_SHAKE256, p, 24));
        assertEquals(CKR.MECHANISM_PARAM_INVALID, signInit(CKM.ML_DSA, p, 32));
        assertEquals(CKR.MECHANISM_PARAM_INVALID, signInit(CKM.ML_DSA, p, 16));
        p.setLong(16, 256);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, signInit(CKM.ML_DSA, p, 24), "contexts are at most 255 bytes");
        p.setPointer(8, Pointer.NULL);
        p.setLong(16, 3);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, signInit(CKM.ML_DSA, p, 24));
        p.setLong(16, 0);
        assertEquals(CKR.OK, signInit(CKM.SLH_DSA, p, 24));
        assertEquals(0, decoded(MechanismParams.SignAdditionalContext.class).context().length);
        assertEquals(CKR.OK, signInit(CKM.ML_DSA, Pointer.NULL, 0));
        assertNull(RecordingCryptoki.last.mechanism.params(), "no parameter: the engine applies the defaults");
    }

    @Test
    void hashSignAdditionalContextCarriesTheHash() {
        Memory p = dirty(32);
        p.setLong(0, CKH.HEDGE_REQUIRED);
        p.setPointer(8, Pointer.NULL);
        p.setLong(16, 0);
        p.setLong(24, CKM.SHA3_384);
        assertEquals(CKR.OK, signInit(CKM.HASH_ML_DSA, p, 32));
        MechanismParams.HashSignAdditionalContext c = decoded(MechanismParams.HashSignAdditionalContext.class);
        assertEquals(CKH.HEDGE_REQUIRED, c.hedgeVariant());
        assertEquals(CKM.SHA3_384, c.hash());
        assertEquals(CKR.MECHANISM_PARAM_INVALID, signInit(CKM.HASH_SLH_DSA, p, 24));
    }
}
