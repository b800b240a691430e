package io.jhsm.engine.mechanism.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CkMechanismInfo;
import org.junit.jupiter.api.Test;

class MechanismRegistryTest {
    private final MechanismRegistry registry = MechanismRegistry.standard();

    @Test
    void typesAreSortedAndEachHasAnEntry() {
        long[] types = registry.types();
        assertEquals(11 + 27 + 7 + 16 + 7 + 8 + 2 + 3 + 3 + 5 + 2 + 1 + 3 + 8 + 4 + 9 + 3 + 6 + 13 + 13 + 2, types.length); // digests, HMAC+keygens, AES (CloudHSM's CKM_CLOUDHSM_AES_GCM included), RSA (X9.31 included), EC, key wrap, ECDH, HKDF, SP800-108, key mix, encrypt-data, PBKDF2, ..., ML-DSA, SLH-DSA, ML-KEM
        for (int i = 0; i < types.length; i++) {
            assertTrue(i == 0 || types[i - 1] < types[i]);
            assertNotNull(registry.get(types[i]).impl());
        }
        assertNull(registry.get(CKM.DES_CBC)); // single DES is not offered
    }

    /** legacy-algorithms = true adds DES, MD5 and MD5-RSA, and its legacy rows replace RSA (from 1024 bits) and DES3 ECB/CBC (wrapping). */
    @Test
    void aLegacyTableAddsEightRowsAndReplacesTheRsaAndDes3Rows() {
        MechanismRegistry legacy = MechanismRegistry.of(true);
        assertEquals(registry.types().length + 8, legacy.types().length);
        for (long type : new long[] {CKM.DES_KEY_GEN, CKM.DES_CBC_PAD, CKM.MD5, CKM.MD5_HMAC_GENERAL, CKM.MD5_RSA_PKCS}) {
            assertNull(registry.get(type), CKM.name(type));
            assertNotNull(legacy.get(type), CKM.name(type));
            assertTrue(registry.isLegacy(type) && legacy.isLegacy(type), CKM.name(type));
        }
        assertEquals(1024, legacy.get(CKM.RSA_AES_KEY_WRAP).info().minKeySize());
        assertTrue(legacy.get(CKM.DES3_CBC).can(CKF.WRAP));
        assertTrue(legacy.isLegacy(CKM.SHA256_RSA_PKCS) && !legacy.isLegacy(CKM.AES_GCM));
        assertTrue(legacy.offersKeyType(CKK.DES) && !registry.offersKeyType(CKK.DES) && registry.offersKeyType(CKK.DES3));
    }

    @Test
    void infoReportsSizesInTheSpecifiedUnitsAndTrueFlags() {
        assertEquals(new CkMechanismInfo(2048, 8192, CKF.GENERATE_KEY_PAIR), registry.get(CKM.RSA_PKCS_KEY_PAIR_GEN).info());
        assertEquals(new CkMechanismInfo(16, 32, CKF.ENCRYPT | CKF.DECRYPT | CKF.WRAP | CKF.UNWRAP
                | CKF.MESSAGE_ENCRYPT | CKF.MESSAGE_DECRYPT | CKF.MULTI_MESSAGE), registry.get(CKM.AES_GCM).info());
        assertEquals(new CkMechanismInfo(256, 521, CKF.SIGN | CKF.VERIFY | CKF.EC_F_P | CKF.EC_NAMEDCURVE | CKF.EC_UNCOMPRESS),
                registry.get(CKM.ECDSA_SHA256).info());
        assertEquals(new CkMechanismInfo(0, 0, CKF.DIGEST), registry.get(CKM.SHA384).info());
        assertEquals(new CkMechanismInfo(8, 6400, CKF.DERIVE), registry.get(CKM.SP800_108_DOUBLE_PIPELINE_KDF).info(), "base key bits");
        assertTrue(registry.get(CKM.RSA_PKCS).can(CKF.DECRYPT));
        // PKCS#11 3.2: post-quantum key sizes are public key lengths in bytes.
        assertEquals(new CkMechanismInfo(1312, 2592, CKF.SIGN | CKF.VERIFY), registry.get(CKM.HASH_ML_DSA_SHAKE256).info());
        assertEquals(new CkMechanismInfo(32, 64, CKF.GENERATE_KEY_PAIR), registry.get(CKM.SLH_DSA_KEY_PAIR_GEN).info());
        assertEquals(new CkMechanismInfo(800, 1568, CKF.ENCAPSULATE | CKF.DECAPSULATE), registry.get(CKM.ML_KEM).info());
    }
}
