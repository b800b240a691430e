package io.jhsm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Ulong;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attribute-policy rules as properties over random sequences of attribute changes. */
class AttributePolicyPropertiesTest {
    @TempDir
    Path dir;

    /**
     * Whatever sequence of C_SetAttributeValue calls on CKA_SENSITIVE and CKA_EXTRACTABLE a caller
     * tries, once the key was sensitive or unextractable its value is never returned again, and the
     * two flags only ever move in the safe direction.
     */
    @Test
    void sensitiveOrUnextractableIsForever() {
        EngineFixture f = new EngineFixture(dir).initialised();
        long s = f.userSession();
        qt().withExamples(200).forAll(booleans().all(), booleans().all(),
                lists().of(integers().between(0, 3)).ofSizeBetween(0, 12)).checkAssert((sensitive, extractable, changes) -> {
            long key = f.aesKey(s, Attribute.of(CKA.SENSITIVE, sensitive), Attribute.of(CKA.EXTRACTABLE, extractable));
            boolean everLocked = sensitive || !extractable;
            boolean nowSensitive = sensitive;
            boolean nowExtractable = extractable;
            for (int change : changes) {
                long type = change < 2 ? CKA.SENSITIVE : CKA.EXTRACTABLE;
                boolean value = change % 2 == 0;
                try {
                    f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(type, value)));
                    if (type == CKA.SENSITIVE) {
                        assertTrue(value || !nowSensitive, "CKA_SENSITIVE was turned off");
                        nowSensitive = value;
                    } else {
                        assertTrue(!value || nowExtractable, "CKA_EXTRACTABLE was turned on");
                        nowExtractable = value;
                    }
                } catch (CkException e) {
                    assertEquals(CKR.ATTRIBUTE_READ_ONLY, e.rv());
                }
                everLocked |= nowSensitive || !nowExtractable;
                AttributeReading v = f.engine.C_GetAttributeValue(s, key, new long[] {CKA.VALUE}).get(0);
                assertEquals(everLocked, !v.available(), "value readable after the key was locked");
            }
            AttributeReading always = f.engine.C_GetAttributeValue(s, key, new long[] {CKA.ALWAYS_SENSITIVE}).get(0);
            assertEquals(false, Ulong.decodeBool(always.value()), "an imported key is never CKA_ALWAYS_SENSITIVE");
            f.engine.C_DestroyObject(s, key);
        });
    }
}
