package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Encapsulation;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.pkcs11.Ulong;
import java.util.List;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMGenerator;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPublicKeyParameters;
import org.junit.jupiter.api.Test;

/** ML-KEM through the engine: key pairs by parameter set, C_EncapsulateKey and C_DecapsulateKey with their errors. */
class MlKemEngineTest extends LoggedInEngineTest {
    static final Mechanism ML_KEM = Mechanism.of(CKM.ML_KEM);
    static final List<Attribute> READABLE_SECRET = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
            Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.SENSITIVE, false));

    long[] generate(long parameterSet, Attribute... publicExtra) {
        List<Attribute> pub = new java.util.ArrayList<>(List.of(Attribute.of(CKA.PARAMETER_SET, parameterSet)));
        pub.addAll(List.of(publicExtra));
        return f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.ML_KEM_KEY_PAIR_GEN), pub, List.of());
    }

    byte[] attribute(long handle, long type) {
        AttributeReading r = f.engine.C_GetAttributeValue(s, handle, new long[] {type}).get(0);
        assertEquals(CKR.name(CKR.OK), CKR.name(r.rv()), CKA.name(type));
        return r.value();
    }

    @Test
    void encapsulatedAndDecapsulatedKeysHoldTheSameSecretForEveryParameterSet() {
        long[][] sets = {{CKP.ML_KEM_512, 800, 768}, {CKP.ML_KEM_768, 1184, 1088}, {CKP.ML_KEM_1024, 1568, 1568}};
        for (long[] set : sets) {
            long[] pair = generate(set[0]);
            assertEquals(set[1], attribute(pair[0], CKA.VALUE).length);
            assertEquals(CKR.name(CKR.ATTRIBUTE_SENSITIVE), CKR.name(f.engine.C_GetAttributeValue(s, pair[1], new long[] {CKA.SEED}).get(0).rv()));
            Encapsulation query = f.engine.C_EncapsulateKey(s, ML_KEM, pair[0], READABLE_SECRET, null);
            assertEquals(set[2], query.ciphertextLength());
            assertEquals(0, query.hKey());
            byte[] ct = new byte[(int) set[2]];
            Encapsulation e = f.engine.C_EncapsulateKey(s, ML_KEM, pair[0], READABLE_SECRET, ct);
            long decapsulated = f.engine.C_DecapsulateKey(s, ML_KEM, pair[1], READABLE_SECRET, ct);
            byte[] secret = attribute(e.hKey(), CKA.VALUE);
            assertEquals(32, secret.length);
            assertArrayEquals(secret, attribute(decapsulated, CKA.VALUE));
        }
    }

    @Test
    void theSecretMatchesBouncyCastlesEncapsulationToTheTokensPublicKey() {
        long[] pair = generate(CKP.ML_KEM_768);
        SecretWithEncapsulation bc = new MLKEMGenerator(new java.security.SecureRandom())
                .generateEncapsulated(new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, attribute(pair[0], CKA.VALUE)));
        long key = f.engine.C_DecapsulateKey(s, ML_KEM, pair[1], READABLE_SECRET, bc.getEncapsulation());
        assertArrayEquals(bc.getSecret(), attribute(key, CKA.VALUE));
    }

    @Test
    void newKeysCarryTheKemHistoryAndTheTemplatesTypeAndLength() {
        long[] pair = generate(CKP.ML_KEM_512);
        byte[] ct = new byte[768];
        Encapsulation e = f.engine.C_EncapsulateKey(s, ML_KEM, pair[0], List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE_LEN, 16L)), ct);
        assertEquals(16, Ulong.decode(attribute(e.hKey(), CKA.VALUE_LEN)));
        assertFalse(Ulong.decodeBool(attribute(e.hKey(), CKA.LOCAL)));
        assertFalse(Ulong.decodeBool(attribute(e.hKey(), CKA.ALWAYS_SENSITIVE)));
        assertFalse(Ulong.decodeBool(attribute(e.hKey(), CKA.NEVER_EXTRACTABLE)));
        assertEquals(true, Ulong.decodeBool(attribute(e.hKey(), CKA.EXTRACTABLE)));
        assertEquals(CKR.name(CKR.ATTRIBUTE_SENSITIVE), CKR.name(f.engine.C_GetAttributeValue(s, e.hKey(), new long[] {CKA.VALUE}).get(0).rv()));
        long d = f.engine.C_DecapsulateKey(s, ML_KEM, pair[1], List.of(Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.VALUE_LEN, 16L), Attribute.of(CKA.EXTRACTABLE, false)), ct);
        assertFalse(Ulong.decodeBool(attribute(d, CKA.EXTRACTABLE)));
        byte[] block = new byte[16];
        f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), e.hKey());
        byte[] a = new byte[16];
        f.engine.C_Encrypt(s, block, a);
        f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), d);
        byte[] b = new byte[16];
        f.engine.C_Encrypt(s, block, b);
        assertArrayEquals(a, b, "both sides hold the same AES key");
    }

    @Test
    void failuresCreateNoKeyAndAnswerTheSpecificationsErrors() {
        long[] pair = generate(CKP.ML_KEM_512);
        int before = countObjects();
        assertRv(CKR.BUFFER_TOO_SMALL, () -> f.engine.C_EncapsulateKey(s, ML_KEM, pair[0], READABLE_SECRET, new byte[767]));
        BufferTooSmallException small = org.junit.jupiter.api.Assertions.assertThrows(BufferTooSmallException.class,
                () -> f.engine.C_EncapsulateKey(s, ML_KEM, pair[0], READABLE_SECRET, new byte[1]));
        assertEquals(768, small.requiredLength());
        assertRv(CKR.WRAPPED_KEY_LEN_RANGE, () -> f.engine.C_DecapsulateKey(s, ML_KEM, pair[1], READABLE_SECRET, new byte[767]));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> f.engine.C_EncapsulateKey(s, ML_KEM, pair[1], READABLE_SECRET, new byte[768]));
        assertRv(CKR.UNWRAPPING_KEY_TYPE_INCONSISTENT, () -> f.engine.C_DecapsulateKey(s, ML_KEM, pair[0], READABLE_SECRET, new byte[768]));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_EncapsulateKey(s, ML_KEM, 999_999, READABLE_SECRET, new byte[768]));
        assertRv(CKR.UNWRAPPING_KEY_HANDLE_INVALID, () -> f.engine.C_DecapsulateKey(s, ML_KEM, 999_999, READABLE_SECRET, new byte[768]));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> f.engine.C_EncapsulateKey(s, ML_KEM, pair[0],
                List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY)), new byte[768]));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> f.engine.C_EncapsulateKey(s, ML_KEM, pair[0],
                List.of(Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE_LEN, 64L)), new byte[768]));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_EncapsulateKey(s,
                Mechanism.of(CKM.ML_KEM, new MechanismParams.Bytes(new byte[4])), pair[0], READABLE_SECRET, new byte[768]));
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_EncapsulateKey(s, Mechanism.of(CKM.ML_DSA), pair[0], READABLE_SECRET, new byte[768]));
        assertRv(CKR.ARGUMENTS_BAD, () -> f.engine.C_DecapsulateKey(s, ML_KEM, pair[1], READABLE_SECRET, null));
        assertEquals(before, countObjects());
    }

    @Test
    void keysWhoseRoleIsOffOrThatAreNoKemKeysAreRefused() {
        long[] pair = generate(CKP.ML_KEM_512, Attribute.of(CKA.ENCAPSULATE, false));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_EncapsulateKey(s, ML_KEM, pair[0], READABLE_SECRET, new byte[768]));
        long aes = f.aesKey(s);
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> f.engine.C_EncapsulateKey(s, ML_KEM, aes, READABLE_SECRET, new byte[768]));
        long[] restricted = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.ML_KEM_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.PARAMETER_SET, CKP.ML_KEM_512), Attribute.of(CKA.ALLOWED_MECHANISMS, Ulong.encodeArray(new long[] {CKM.ML_DSA}))),
                List.of(Attribute.of(CKA.DECAPSULATE, false)));
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_EncapsulateKey(s, ML_KEM, restricted[0], READABLE_SECRET, new byte[768]));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_DecapsulateKey(s, ML_KEM, restricted[1], READABLE_SECRET, new byte[768]));
    }

    @Test
    void importedPublicKeysEncapsulateToTheGeneratedPrivateKey() {
        long[] pair = generate(CKP.ML_KEM_1024);
        long pub = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PUBLIC_KEY), Attribute.of(CKA.KEY_TYPE, CKK.ML_KEM),
                Attribute.of(CKA.PARAMETER_SET, CKP.ML_KEM_1024), Attribute.of(CKA.VALUE, attribute(pair[0], CKA.VALUE))));
        byte[] ct = new byte[1568];
        Encapsulation e = f.engine.C_EncapsulateKey(s, ML_KEM, pub, READABLE_SECRET, ct);
        assertArrayEquals(attribute(e.hKey(), CKA.VALUE), attribute(f.engine.C_DecapsulateKey(s, ML_KEM, pair[1], READABLE_SECRET, ct), CKA.VALUE));
    }

    /**
     * NIST ACVP ML-KEM-keyGen-FIPS203 (vsId 42), ML-KEM-512 tcId 1: the private key made from CKA_SEED = d||z
     * is the expected dk (compared by its SHA-256; dk carries ek, H(ek) and z, so the public key too).
     */
    @Test
    void aSeedOnlyPrivateKeyExpandsToTheNistKnownAnswer() throws Exception {
        byte[] seed = java.util.HexFormat.of().parseHex("BBA3C0F5DF044CDF4D9CAA53CA15FDE26F34EB3541555CFC54CA9C31B964D0C8"
                + "0A64FDD51A8D91B3166C4958A94EFC3166A4F5DF680980B878DB8371B7624C96");
        long k = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY), Attribute.of(CKA.KEY_TYPE, CKK.ML_KEM),
                Attribute.of(CKA.PARAMETER_SET, CKP.ML_KEM_512), Attribute.of(CKA.SEED, seed), Attribute.of(CKA.SENSITIVE, false),
                Attribute.of(CKA.EXTRACTABLE, true)));
        byte[] dk = attribute(k, CKA.VALUE);
        assertEquals(1632, dk.length);
        assertEquals("3b4f9c211799d36add60ce763ee9705dbb6359ee70177280551b45d612ea43e3",
                java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(dk)));
        assertArrayEquals(seed, attribute(k, CKA.SEED));
    }

    private int countObjects() {
        f.engine.C_FindObjectsInit(s, List.of());
        long[] found = f.engine.C_FindObjects(s, 1000);
        f.engine.C_FindObjectsFinal(s);
        return found.length;
    }
}
