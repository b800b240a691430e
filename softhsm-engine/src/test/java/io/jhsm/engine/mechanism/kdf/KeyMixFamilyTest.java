package io.jhsm.engine.mechanism.kdf;

import static io.jhsm.engine.mechanism.kdf.KdfFamiliesTest.value;
import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static io.jhsm.engine.mechanism.TestKeys.secret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class KeyMixFamilyTest {
    private static final byte[] BASE = bytes(16, 1);
    private static final KeyView KEY = secret(CKK.GENERIC_SECRET, BASE);

    private static List<Attribute> derive(long ckm, MechanismParams p, KeyView base, Attribute... template) {
        return impl(ckm).deriveKey(Mechanism.of(ckm, p), base, new TemplateView(List.of(template)), h -> h == 9 ? secret(CKK.AES, hex("0102")) : null);
    }

    @Test
    void concatenationAndXor() {
        byte[] data = hex("a0a1a2");
        assertArrayEquals(TestKeys.concat(BASE, data), value(derive(CKM.CONCATENATE_BASE_AND_DATA, new MechanismParams.DerivationString(data), KEY)));
        assertArrayEquals(TestKeys.concat(data, BASE), value(derive(CKM.CONCATENATE_DATA_AND_BASE, new MechanismParams.DerivationString(data), KEY)));
        assertArrayEquals(TestKeys.concat(BASE, hex("0102")), value(derive(CKM.CONCATENATE_BASE_AND_KEY, new MechanismParams.UlongValue(9), KEY)));
        byte[] xor = value(derive(CKM.XOR_BASE_AND_DATA, new MechanismParams.DerivationString(data), KEY));
        assertArrayEquals(new byte[] {(byte) (BASE[0] ^ 0xa0), (byte) (BASE[1] ^ 0xa1), (byte) (BASE[2] ^ 0xa2)}, xor);
        List<Attribute> aes = derive(CKM.CONCATENATE_BASE_AND_DATA, new MechanismParams.DerivationString(bytes(16, 2)), KEY,
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE_LEN, 24L));
        assertEquals(24, value(aes).length);
    }

    @Test
    void extractTakesBitsFromTheGivenPositionWrappingAround() {
        // 0x329F84A9 from bit 21: 100 | 10101001 | 00110 -> 0x95 0x26 (hand-computed; bit 0 is the MSB).
        List<Attribute> k = derive(CKM.EXTRACT_KEY_FROM_KEY, new MechanismParams.UlongValue(21), secret(CKK.GENERIC_SECRET, hex("329F84A9")),
                Attribute.of(CKA.VALUE_LEN, 2L));
        assertArrayEquals(hex("9526"), value(k));
        assertArrayEquals(hex("9F84"), value(derive(CKM.EXTRACT_KEY_FROM_KEY, new MechanismParams.UlongValue(8), secret(CKK.GENERIC_SECRET, hex("329F84A9")),
                Attribute.of(CKA.VALUE_LEN, 2L))));
    }

    @Test
    void des3DerivedKeysGetOddParity() {
        byte[] v = value(derive(CKM.CONCATENATE_BASE_AND_DATA, new MechanismParams.DerivationString(bytes(8, 3)), KEY, Attribute.of(CKA.KEY_TYPE, CKK.DES3)));
        assertEquals(24, v.length);
        for (byte b : v) {
            assertEquals(1, Integer.bitCount(b & 0xFF) % 2);
        }
    }

    @Test
    void aesEncryptDataIsTheCiphertext() throws Exception {
        byte[] k = bytes(32, 4);
        byte[] data = bytes(32, 5);
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"));
        assertArrayEquals(ecb.doFinal(data), value(derive(CKM.AES_ECB_ENCRYPT_DATA, new MechanismParams.DerivationString(data), secret(CKK.AES, k))));
        byte[] iv = bytes(16, 6);
        org.bouncycastle.crypto.modes.CBCBlockCipher cbc = (org.bouncycastle.crypto.modes.CBCBlockCipher) org.bouncycastle.crypto.modes.CBCBlockCipher.newInstance(
                org.bouncycastle.crypto.engines.AESEngine.newInstance());
        cbc.init(true, new org.bouncycastle.crypto.params.ParametersWithIV(new org.bouncycastle.crypto.params.KeyParameter(k), iv));
        byte[] expected = new byte[32];
        cbc.processBlock(data, 0, expected, 0);
        cbc.processBlock(data, 16, expected, 16);
        assertArrayEquals(expected, value(derive(CKM.AES_CBC_ENCRYPT_DATA, new MechanismParams.AesCbcEncryptData(iv, data), secret(CKK.AES, k),
                Attribute.of(CKA.KEY_TYPE, CKK.AES))));
    }

    @Test
    void errors() {
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.CONCATENATE_BASE_AND_DATA, new MechanismParams.DerivationString(new byte[0]), KEY));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.CONCATENATE_BASE_AND_DATA, new MechanismParams.UlongValue(3), KEY));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.EXTRACT_KEY_FROM_KEY, new MechanismParams.UlongValue(128), KEY, Attribute.of(CKA.VALUE_LEN, 2L)));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> derive(CKM.EXTRACT_KEY_FROM_KEY, new MechanismParams.UlongValue(0), KEY, Attribute.of(CKA.VALUE_LEN, 17L)));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> impl(CKM.CONCATENATE_BASE_AND_KEY).deriveKey(Mechanism.of(CKM.CONCATENATE_BASE_AND_KEY, new MechanismParams.UlongValue(9)),
                KEY, new TemplateView(List.of())));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.AES_ECB_ENCRYPT_DATA, new MechanismParams.DerivationString(bytes(20, 1)), secret(CKK.AES, bytes(16, 1))));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> derive(CKM.AES_ECB_ENCRYPT_DATA, new MechanismParams.DerivationString(bytes(16, 1)), KEY));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> derive(CKM.CONCATENATE_BASE_AND_DATA, new MechanismParams.DerivationString(bytes(4, 1)), KEY,
                Attribute.of(CKA.KEY_TYPE, CKK.AES)));
    }
}
