package io.jhsm.bridge;

import static io.jhsm.bridge.FunctionTable.*;
import static io.jhsm.bridge.ModuleClient.*;
import static io.jhsm.bridge.ParamCalls.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.MechanismParams;
import java.lang.ref.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mechanism parameter structs built at their LP64 C layout, passed through the real shim's
 * function table, and checked as the recording engine received them.
 */
class MechanismParamsBridgeTest {
    @BeforeAll
    static void init() {
        assertEquals(CKR.OK, m.call(C_Initialize, Pointer.NULL));
    }

    @AfterAll
    static void fin() {
        assertEquals(CKR.OK, m.call(C_Finalize, Pointer.NULL));
    }

    @Test
    void rsaAesKeyWrapFollowsItsOaepPointer() {
        Memory label = bytes("label".getBytes());
        Memory oaep = struct(40);
        oaep.setLong(0, CKM.SHA256);
        oaep.setLong(8, 2);
        oaep.setLong(16, 1);
        oaep.setPointer(24, label);
        oaep.setLong(32, 5);
        Memory p = struct(16);
        p.setLong(0, 256);
        p.setPointer(8, oaep);
        assertEquals(CKR.OK, wrap(CKM.RSA_AES_KEY_WRAP, p, 16));
        MechanismParams.RsaAesKeyWrap w = decoded(MechanismParams.RsaAesKeyWrap.class);
        assertEquals(256, w.aesKeyBits());
        assertEquals(CKM.SHA256, w.oaep().hashAlg());
        assertEquals(2, w.oaep().mgf());
        assertArrayEquals("label".getBytes(), w.oaep().sourceData());
        Reference.reachabilityFence(label);

        p.setPointer(8, Pointer.NULL);
        assertEquals(CKR.OK, m.call(C_UnwrapKey, 1L, mechanism(CKM.RSA_AES_KEY_WRAP, p, 16), 5L, bytes(new byte[8]), 8L,
                Pointer.NULL, 0L, ulong(0)));
        assertNull(decoded(MechanismParams.RsaAesKeyWrap.class).oaep(), "NULL pOAEPParams: the engine refuses it");
        assertEquals(CKR.MECHANISM_PARAM_INVALID, wrap(CKM.RSA_AES_KEY_WRAP, p, 24));

        oaep.setPointer(24, Pointer.NULL);
        p.setPointer(8, oaep);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, wrap(CKM.RSA_AES_KEY_WRAP, p, 16), "nested NULL with a length");
        assertEquals(CKR.MECHANISM_PARAM_INVALID, wrap(CKM.RSA_PKCS_OAEP, oaep, 40));
        oaep.setLong(32, 0);
        assertEquals(CKR.OK, wrap(CKM.RSA_PKCS_OAEP, oaep, 40), "OAEP wrapping decodes its struct");
        assertEquals(1, decoded(MechanismParams.Oaep.class).source());
    }

    @Test
    void eddsaReadsTheFlagByteNotItsPadding() {
        Memory ctx = bytes("ctx".getBytes());
        Memory p = dirty(24);
        p.setByte(0, (byte) 1);
        p.setLong(8, 3);
        p.setPointer(16, ctx);
        assertEquals(CKR.OK, signInit(CKM.EDDSA, p, 24));
        MechanismParams.Eddsa e = decoded(MechanismParams.Eddsa.class);
        assertTrue(e.prehash());
        assertArrayEquals("ctx".getBytes(), e.context());
        p.setByte(0, (byte) 0);
        p.setLong(8, 0);
        assertEquals(CKR.OK, m.call(C_VerifyInit, 1L, mechanism(CKM.EDDSA, p, 24), 5L));
        assertFalse(decoded(MechanismParams.Eddsa.class).prehash());
        assertEquals(0, decoded(MechanismParams.Eddsa.class).context().length);
        Reference.reachabilityFence(ctx);

        assertEquals(CKR.OK, signInit(CKM.EDDSA, Pointer.NULL, 0));
        assertNull(decoded(), "NULL parameter: pure EdDSA");
        assertEquals(CKR.MECHANISM_PARAM_INVALID, signInit(CKM.EDDSA, p, 16));
        p.setLong(8, 3);
        p.setPointer(16, Pointer.NULL);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, signInit(CKM.EDDSA, p, 24));
    }

    @Test
    void hkdfDecodesBothFlagsAndOnlyADataSalt() {
        Memory salt = bytes(new byte[] {1, 2, 3});
        Memory info = bytes("info".getBytes());
        Memory p = dirty(64);
        p.setByte(0, (byte) 1);
        p.setByte(1, (byte) 0);
        p.setLong(8, CKM.SHA256);
        p.setLong(16, CKF.HKDF_SALT_DATA);
        p.setPointer(24, salt);
        p.setLong(32, 3);
        p.setLong(40, 0x77);
        p.setPointer(48, info);
        p.setLong(56, 4);
        assertEquals(CKR.OK, derive(CKM.HKDF_DERIVE, p, 64));
        MechanismParams.Hkdf h = decoded(MechanismParams.Hkdf.class);
        assertTrue(h.extract());
        assertFalse(h.expand());
        assertEquals(CKM.SHA256, h.prfHash());
        assertEquals(CKF.HKDF_SALT_DATA, h.saltType());
        assertArrayEquals(new byte[] {1, 2, 3}, h.salt());
        assertEquals(0x77, h.saltKey());
        assertArrayEquals("info".getBytes(), h.info());

        p.setByte(1, (byte) 1);
        p.setLong(16, CKF.HKDF_SALT_KEY);
        p.setPointer(24, Pointer.NULL);
        assertEquals(CKR.OK, derive(CKM.HKDF_DATA, p, 64), "pSalt is not read for a key salt");
        h = decoded(MechanismParams.Hkdf.class);
        assertTrue(h.expand());
        assertEquals(0, h.salt().length);
        assertEquals(0x77, h.saltKey());
        Reference.reachabilityFence(salt);
        Reference.reachabilityFence(info);

        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.HKDF_DERIVE, p, 56));
        p.setLong(16, CKF.HKDF_SALT_DATA);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.HKDF_DERIVE, p, 64), "NULL pSalt with a length");
        p.setLong(32, 0);
        p.setPointer(48, Pointer.NULL);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.HKDF_DERIVE, p, 64), "NULL pInfo with a length");
        p.setLong(56, -1);
        p.setPointer(48, info);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.HKDF_DERIVE, p, 64), "absurd ulInfoLen");
    }

    @Test
    void derivationStringsHandlesAndExtractParams() {
        Memory data = bytes(new byte[] {7, 8, 9});
        Memory s = struct(16);
        s.setPointer(0, data);
        s.setLong(8, 3);
        for (long type : new long[] {CKM.CONCATENATE_BASE_AND_DATA, CKM.CONCATENATE_DATA_AND_BASE, CKM.XOR_BASE_AND_DATA,
                CKM.AES_ECB_ENCRYPT_DATA}) {
            assertEquals(CKR.OK, derive(type, s, 16), CKM.name(type));
            assertArrayEquals(new byte[] {7, 8, 9}, decoded(MechanismParams.DerivationString.class).data());
            assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(type, s, 8), CKM.name(type) + " wrong length");
        }
        s.setLong(8, 1L << 40);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.XOR_BASE_AND_DATA, s, 16), "absurd ulLen");
        s.setPointer(0, Pointer.NULL);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.XOR_BASE_AND_DATA, s, 16), "NULL pData with a length");

        Memory cbc = dirty(32);
        for (int i = 0; i < 16; i++) {
            cbc.setByte(i, (byte) i);
        }
        cbc.setPointer(16, data);
        cbc.setLong(24, 3);
        assertEquals(CKR.OK, derive(CKM.AES_CBC_ENCRYPT_DATA, cbc, 32));
        MechanismParams.AesCbcEncryptData c = decoded(MechanismParams.AesCbcEncryptData.class);
        assertEquals(15, c.iv()[15]);
        assertEquals(16, c.iv().length);
        assertArrayEquals(new byte[] {7, 8, 9}, c.data());
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.AES_CBC_ENCRYPT_DATA, cbc, 24));
        Reference.reachabilityFence(data);

        assertEquals(CKR.OK, derive(CKM.CONCATENATE_BASE_AND_KEY, ulong(0x1234), 8));
        assertEquals(new MechanismParams.UlongValue(0x1234), decoded());
        assertEquals(CKR.OK, derive(CKM.EXTRACT_KEY_FROM_KEY, ulong(21), 8));
        assertEquals(new MechanismParams.UlongValue(21), decoded());
        assertEquals(CKR.MECHANISM_PARAM_INVALID, derive(CKM.EXTRACT_KEY_FROM_KEY, ulong(21), 4));
    }

    @Test
    void chachaLengthsAreBitsAndTheCounterMayBeNull() {
        Memory counter = bytes(new byte[] {1, 0, 0, 0});
        Memory nonce = bytes(new byte[12]);
        Memory p = struct(32);
        p.setPointer(0, counter);
        p.setLong(8, 32);
        p.setPointer(16, nonce);
        p.setLong(24, 96);
        assertEquals(CKR.OK, encryptInit(CKM.CHACHA20, p, 32));
        MechanismParams.ChaCha20 c = decoded(MechanismParams.ChaCha20.class);
        assertArrayEquals(new byte[] {1, 0, 0, 0}, c.blockCounter());
        assertEquals(32, c.blockCounterBits());
        assertEquals(12, c.nonce().length);
        assertEquals(96, c.nonceBits());
        p.setPointer(0, Pointer.NULL);
        assertEquals(CKR.OK, encryptInit(CKM.CHACHA20, p, 32));
        assertNull(decoded(MechanismParams.ChaCha20.class).blockCounter());
        p.setLong(24, 95);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, encryptInit(CKM.CHACHA20, p, 32), "nonce bits not whole bytes");
        p.setLong(24, -8);
        assertEquals(CKR.MECHANISM_PARAM_INVALID, encryptInit(CKM.CHACHA20, p, 32), "absurd nonce bits");
        assertEquals(CKR.MECHANISM_PARAM_INVALID, encryptInit(CKM.CHACHA20, p, 24));

        Memory aad = bytes(new byte[] {4, 4});
        Memory a = struct(32);
        a.setPointer(0, nonce);
        a.setLong(8, 12);
        a.setPointer(16, aad);
        a.setLong(24, 2);
        assertEquals(CKR.OK, m.call(C_DecryptInit, 1L, mechanism(CKM.CHACHA20_POLY1305, a, 32), 5L));
        MechanismParams.ChaCha20Poly1305 cp = decoded(MechanismParams.ChaCha20Poly1305.class);
        assertEquals(12, cp.nonce().length);
        assertArrayEquals(new byte[] {4, 4}, cp.aad());
        assertEquals(CKR.MECHANISM_PARAM_INVALID, encryptInit(CKM.CHACHA20_POLY1305, a, 40));
        Reference.reachabilityFence(counter);
        Reference.reachabilityFence(nonce);
        Reference.reachabilityFence(aad);
    }
    @Test
    void existingDecodersCoverTheNewerMechanisms() {
        for (long type : new long[] {CKM.AES_CMAC_GENERAL, CKM.DES3_CMAC_GENERAL, CKM.SHA3_256_HMAC_GENERAL,
                CKM.SHA3_512_HMAC_GENERAL, CKM.SHA512_224_HMAC_GENERAL, CKM.SHA512_256_HMAC_GENERAL}) {
            assertEquals(CKR.OK, signInit(type, ulong(10), 8), CKM.name(type));
            assertEquals(new MechanismParams.UlongValue(10), decoded());
            assertEquals(CKR.MECHANISM_PARAM_INVALID, signInit(type, ulong(10), 4), CKM.name(type));
        }
        for (long type : new long[] {CKM.AES_OFB, CKM.AES_CFB8, CKM.AES_CFB128, CKM.AES_CTS, CKM.AES_XTS, CKM.DES3_CBC,
                CKM.DES3_CBC_PAD}) {
            assertEquals(CKR.OK, encryptInit(type, bytes(new byte[16]), 16), CKM.name(type));
            assertEquals(new MechanismParams.Bytes(new byte[16]), decoded());
        }
        Memory ccm = struct(48);
        ccm.setLong(0, 100);
        ccm.setPointer(8, bytes(new byte[7]));
        ccm.setLong(16, 7);
        ccm.setLong(40, 16);
        assertEquals(CKR.OK, encryptInit(CKM.AES_CCM, ccm, 48));
        assertEquals(100, decoded(MechanismParams.Ccm.class).dataLen());
        Memory ecdh = struct(40);
        ecdh.setLong(0, 1);
        ecdh.setPointer(32, bytes(new byte[65]));
        ecdh.setLong(24, 65);
        assertEquals(CKR.OK, derive(CKM.ECDH1_COFACTOR_DERIVE, ecdh, 40));
        assertEquals(65, decoded(MechanismParams.Ecdh1Derive.class).publicData().length);
        assertEquals(CKR.OK, signInit(CKM.SHA3_384_RSA_PKCS_PSS, struct(24), 24));
        assertEquals(new MechanismParams.Pss(0, 0, 0), decoded());
        Memory gcm = struct(48);
        gcm.setLong(8, -1);
        gcm.setPointer(0, bytes(new byte[12]));
        assertEquals(CKR.MECHANISM_PARAM_INVALID, encryptInit(CKM.AES_GCM, gcm, 48), "absurd ulIvLen");
        assertEquals(CKR.MECHANISM_PARAM_INVALID, encryptInit(CKM.AES_GCM, gcm, -1), "absurd ulParameterLen");
    }
}
