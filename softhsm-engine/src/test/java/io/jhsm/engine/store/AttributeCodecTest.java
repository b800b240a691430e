package io.jhsm.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class AttributeCodecTest {

    /** Types across the range, including vendor-defined ones with the high bit set and negative longs. */
    private static final Gen<Long> TYPES = Generate.oneOf(
            Generate.longRange(0, 0x200),
            Generate.longRange(0x80000000L, 0x80000100L),
            Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE));

    private static final Gen<byte[]> VALUES = Generate.byteArrays(
            Generate.oneOf(Generate.range(0, 8), Generate.range(0, 600)),
            Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));

    private static Gen<Attribute> leaf() {
        return TYPES.zip(VALUES, Generate.range(0, 9), (type, value, pick) ->
                new Attribute(type, pick == 0 ? null : value, null));
    }

    private static Gen<List<Attribute>> listOf(Gen<Attribute> element, int maxSize) {
        return in -> {
            int n = (int) in.next(org.quicktheories.impl.Constraint.between(0, maxSize));
            List<Attribute> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(element.generate(in));
            }
            return list;
        };
    }

    /** Attribute lists with some nested templates, as objects carrying CKA_WRAP_TEMPLATE have. */
    private static Gen<List<Attribute>> attributeLists() {
        Gen<Attribute> nested = listOf(leaf(), 6).zip(Generate.pick(List.of(CKA.WRAP_TEMPLATE, CKA.UNWRAP_TEMPLATE,
                CKA.DERIVE_TEMPLATE)), (template, type) -> Attribute.ofTemplate(type, template));
        return listOf(Generate.frequency(
                org.quicktheories.api.Pair.of(8, leaf()), org.quicktheories.api.Pair.of(1, nested)), 30);
    }

    @Test
    void roundTripsRandomAttributeLists() {
        qt().withExamples(500).forAll(attributeLists()).checkAssert(list ->
                assertEquals(list, AttributeCodec.decode(AttributeCodec.encode(list))));
    }

    @Test
    void keepsNullValuesDistinctFromEmptyOnes() {
        List<Attribute> list = List.of(new Attribute(CKA.LABEL, null, null), Attribute.of(CKA.ID, new byte[0]),
                Attribute.ofTemplate(CKA.WRAP_TEMPLATE, List.of()));
        List<Attribute> back = AttributeCodec.decode(AttributeCodec.encode(list));
        assertEquals(list, back);
        assertEquals(null, back.get(0).value());
        assertEquals(0, back.get(1).value().length);
    }

    @Test
    void isCompact() {
        List<Attribute> list = List.of(Attribute.of(CKA.CLASS, 4L), Attribute.of(CKA.TOKEN, true));
        // version + count + (type, kind, len, 8 bytes) + (type, kind, len, 1 byte)
        assertEquals(1 + 1 + 11 + 4, AttributeCodec.encode(list).length);
    }

    @Test
    void rejectsTruncatedOrTrailingOrUnknownVersion() {
        byte[] good = AttributeCodec.encode(List.of(Attribute.of(CKA.VALUE, new byte[] {1, 2, 3})));
        for (int cut = 0; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(IllegalArgumentException.class, () -> AttributeCodec.decode(truncated));
        }
        assertThrows(IllegalArgumentException.class, () -> AttributeCodec.decode(Arrays.copyOf(good, good.length + 1)));
        byte[] otherVersion = good.clone();
        otherVersion[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> AttributeCodec.decode(otherVersion));
    }
}
