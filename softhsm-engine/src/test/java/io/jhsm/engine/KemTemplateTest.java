package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Encapsulation;
import io.jhsm.pkcs11.Mechanism;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CKA_ENCAPSULATE_TEMPLATE and CKA_DECAPSULATE_TEMPLATE bind the keys C_EncapsulateKey and C_DecapsulateKey make. */
class KemTemplateTest extends LoggedInEngineTest {
    static final Mechanism ML_KEM = Mechanism.of(CKM.ML_KEM);
    static final List<Attribute> REQUIRED = List.of(Attribute.of(CKA.EXTRACTABLE, false), Attribute.of(CKA.KEY_TYPE, CKK.AES));
    static final List<Attribute> SECRET = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.VALUE_LEN, 32L));
    static final List<Attribute> CONTRADICTING = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
            Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET));

    /** {public, private} ML-KEM-512 keys, the public one with CKA_ENCAPSULATE_TEMPLATE, the private with CKA_DECAPSULATE_TEMPLATE. */
    long[] pairWithTemplates() {
        return f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.ML_KEM_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.PARAMETER_SET, CKP.ML_KEM_512), Attribute.ofTemplate(CKA.ENCAPSULATE_TEMPLATE, REQUIRED)),
                List.of(Attribute.ofTemplate(CKA.DECAPSULATE_TEMPLATE, REQUIRED)));
    }

    byte[] flagAndType(long key) {
        List<AttributeReading> r = f.engine.C_GetAttributeValue(s, key, new long[] {CKA.EXTRACTABLE, CKA.KEY_TYPE});
        return new byte[] {r.get(0).value()[0], r.get(1).value()[0]};
    }

    @Test
    void encapsulatedAndDecapsulatedKeysTakeTheKeysTemplates() {
        long[] pair = pairWithTemplates();
        byte[] ct = new byte[768];
        Encapsulation e = f.engine.C_EncapsulateKey(s, ML_KEM, pair[0], SECRET, ct);
        long d = f.engine.C_DecapsulateKey(s, ML_KEM, pair[1], SECRET, ct);
        byte[] expected = {0, (byte) CKK.AES};
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(flagAndType(e.hKey())));
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(flagAndType(d)));
    }

    @Test
    void aTemplateThatContradictsTheKeysTemplateIsInconsistentAndMakesNoKey() {
        long[] pair = pairWithTemplates();
        byte[] ct = new byte[768];
        int before = f.secretTokenCounts(s);
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> f.engine.C_EncapsulateKey(s, ML_KEM, pair[0], CONTRADICTING, ct));
        f.engine.C_EncapsulateKey(s, ML_KEM, pair[0], SECRET, ct);
        int afterOne = f.secretTokenCounts(s);
        assertEquals(before + 1, afterOne);
        List<Attribute> extractable = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.EXTRACTABLE, true));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> f.engine.C_DecapsulateKey(s, ML_KEM, pair[1], extractable, ct));
        assertEquals(afterOne, f.secretTokenCounts(s));
    }

    @Test
    void theTemplatesReadBackAndAreFixedAfterCreation() {
        long[] pair = pairWithTemplates();
        assertEquals(REQUIRED, f.engine.C_GetAttributeValue(s, pair[0], new long[] {CKA.ENCAPSULATE_TEMPLATE}).get(0).template());
        assertEquals(REQUIRED, f.engine.C_GetAttributeValue(s, pair[1], new long[] {CKA.DECAPSULATE_TEMPLATE}).get(0).template());
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, pair[0],
                List.of(Attribute.ofTemplate(CKA.ENCAPSULATE_TEMPLATE, List.of()))));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, pair[1],
                List.of(Attribute.ofTemplate(CKA.DECAPSULATE_TEMPLATE, List.of()))));
    }

    @Test
    void keysWithoutTheTemplatesReadThemAsEmptyArrays() {
        long[] pair = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.ML_KEM_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.PARAMETER_SET, CKP.ML_KEM_512)), List.of());
        assertEquals(List.of(), f.engine.C_GetAttributeValue(s, pair[0], new long[] {CKA.ENCAPSULATE_TEMPLATE}).get(0).template());
        assertEquals(List.of(), f.engine.C_GetAttributeValue(s, pair[1], new long[] {CKA.DECAPSULATE_TEMPLATE}).get(0).template());
    }
}
