package io.jhsm.protocol;

import static io.jhsm.protocol.Gens.BYTES;
import static io.jhsm.protocol.Gens.PARAMS;
import static io.jhsm.protocol.Gens.TEMPLATE;
import static io.jhsm.protocol.Gens.ULONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkInfo;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.CkSessionInfo;
import io.jhsm.pkcs11.CkSlotInfo;
import io.jhsm.pkcs11.CkTokenInfo;
import io.jhsm.pkcs11.CkVersion;
import io.jhsm.pkcs11.DerivedKey;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.protocol.v1.AttributeValues;
import io.jhsm.protocol.v1.Template;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Every value the codec carries comes back as it went, through the serialized bytes (null stays null, empty stays empty). */
class CodecRoundTripTest {

    private static io.jhsm.protocol.v1.Mechanism wire(io.jhsm.protocol.v1.Mechanism m) throws InvalidProtocolBufferException {
        return io.jhsm.protocol.v1.Mechanism.parseFrom(m.toByteArray());
    }

    @Test
    void everyMechanismParameterSurvivesTheWire() {
        qt().withExamples(2000).forAll(ULONG, Generate.oneOf(PARAMS, Generate.constant(() -> null))).checkAssert((type, params) -> {
            Mechanism m = new Mechanism(type, params);
            try {
                Mechanism back = Mechanisms.fromProto(wire(Mechanisms.toProto(m)));
                assertTrue(DeepEquals.equal(m, back), () -> m + " came back as " + back);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void additionalDerivedKeysReachTheHandleSinkOfTheirIndex() throws Exception {
        List<DerivedKey> keys = List.of(new DerivedKey(List.of(), h -> { }), new DerivedKey(List.of(), h -> { }));
        Mechanism m = Mechanism.of(1, new MechanismParams.Sp800108Kdf(2, List.of(), null, keys));
        long[] got = new long[2];
        Mechanism back = Mechanisms.fromProto(wire(Mechanisms.toProto(m)), i -> h -> got[i] = h);
        List<DerivedKey> decoded = back.params().additionalDerivedKeys();
        decoded.get(1).phKey().accept(42);
        decoded.get(0).phKey().accept(7);
        assertEquals(7, got[0]);
        assertEquals(42, got[1]);
        assertNull(((MechanismParams.Sp800108Kdf) back.params()).iv(), "no IV (counter mode) is not an empty IV");
    }

    @Test
    void templatesWithNestedAndNullValuesSurviveTheWire() {
        qt().withExamples(1000).forAll(TEMPLATE).checkAssert(t -> {
            try {
                var wire = Template.parseFrom(Template.newBuilder().addAllAttributes(Templates.toProto(t)).build().toByteArray());
                assertTrue(DeepEquals.equal(t, Templates.fromProto(wire.getAttributesList())), t::toString);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
    }

    static final Gen<AttributeReading> READING = Generate.oneOf(
            ULONG.zip(BYTES, AttributeReading::of),
            ULONG.zip(TEMPLATE, AttributeReading::ofTemplate),
            ULONG.zip(Generate.pick(List.of(CKR.ATTRIBUTE_SENSITIVE, CKR.ATTRIBUTE_TYPE_INVALID)), AttributeReading::unavailable));

    @Test
    void attributeReadingsSurviveTheWire() {
        qt().withExamples(1000).forAll(Gens.lists(READING, 6)).checkAssert(readings -> {
            try {
                var wire = AttributeValues.parseFrom(Templates.readingsToProto(readings).toByteArray());
                assertTrue(DeepEquals.equal(readings, Templates.readingsFromProto(wire)), readings::toString);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
    }

    static final Gen<CkVersion> VERSION = Generate.range(0, 255).zip(Generate.range(0, 255), CkVersion::new);
    static final Gen<String> TEXT = Generate.pick(List.of("", "jhsm", "Ünïcode token", "                                "));

    @Test
    void infoRecordsSurviveTheWire() {
        qt().withExamples(300).forAll(VERSION, TEXT, ULONG).checkAssert((v, text, n) -> {
            CkInfo info = new CkInfo(v, text, n, text + "!", new CkVersion(v.minor(), v.major()));
            assertEquals(info, Infos.fromProto(Infos.toProto(info)));
            CkSlotInfo slot = new CkSlotInfo(text, "m", n, v, v);
            assertEquals(slot, Infos.fromProto(Infos.toProto(slot)));
            CkTokenInfo token = new CkTokenInfo(text, "m", "model", "serial", n, n + 1, n + 2, n + 3, n + 4, n + 5, n + 6, n + 7,
                    n + 8, n + 9, n + 10, v, new CkVersion(1, 2), "2026120603000000");
            assertEquals(token, Infos.fromProto(Infos.toProto(token)));
            CkSessionInfo session = new CkSessionInfo(n, n ^ 1, n ^ 2, n ^ 3);
            assertEquals(session, Infos.fromProto(Infos.toProto(session)));
            CkMechanismInfo mech = new CkMechanismInfo(n, -n, n >>> 3);
            assertEquals(mech, Infos.fromProto(Infos.toProto(mech)));
        });
    }

    @Test
    void deepEqualsSeesAByteDifference() {
        byte[] a = {1, 2};
        assertTrue(!DeepEquals.equal(new MechanismParams.Bytes(a), new MechanismParams.Bytes(new byte[] {1, 3})));
        assertTrue(!DeepEquals.equal(new MechanismParams.Pbkdf2(1, a, 1, 1, a, null), new MechanismParams.Pbkdf2(1, a, 1, 1, a, new byte[0])),
                "null and empty differ");
        List<Object> unused = new ArrayList<>();
        assertTrue(DeepEquals.equal(unused, List.of()));
    }
}
