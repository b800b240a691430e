package io.jhsm.protocol;

import static org.quicktheories.generators.SourceDSL.longs;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.DerivedKey;
import io.jhsm.pkcs11.MechanismParams;
import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generators of the api's values for the codec's round-trip properties. */
final class Gens {
    private Gens() {}

    static final Gen<Long> ULONG = longs().all();
    static final Gen<Boolean> BOOL = Generate.booleans();
    /** Empty arrays are frequent on purpose: empty must stay empty, never become null. */
    static final Gen<byte[]> BYTES = Generate.byteArrays(Generate.range(0, 24), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    /** For the fields whose NULL the engine tells from empty. */
    static final Gen<byte[]> NULLABLE = Generate.oneOf(BYTES, Generate.constant(() -> null));

    static <T> Gen<List<T>> lists(Gen<T> element, int max) {
        return rs -> {
            int n = Generate.range(0, max).generate(rs);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.generate(rs));
            }
            return out;
        };
    }

    /** A value attribute (possibly pValue NULL), or an attribute-array type holding a nested template. */
    static final Gen<Attribute> PLAIN_ATTRIBUTE = ULONG.zip(NULLABLE, (t, v) -> Attribute.of(t, v));
    static final Gen<Attribute> ATTRIBUTE = Generate.oneOf(PLAIN_ATTRIBUTE,
            lists(PLAIN_ATTRIBUTE, 4).map(t -> Attribute.ofTemplate(CKA.WRAP_TEMPLATE, t)));
    static final Gen<List<Attribute>> TEMPLATE = lists(ATTRIBUTE, 5);

    static final Gen<MechanismParams.Oaep> OAEP = rs -> new MechanismParams.Oaep(ULONG.generate(rs), ULONG.generate(rs),
            ULONG.generate(rs), BYTES.generate(rs));

    static final Gen<MechanismParams> PARAMS = Generate.oneOf(
            BYTES.map(MechanismParams.Bytes::new),
            ULONG.map(MechanismParams.UlongValue::new),
            rs -> new MechanismParams.Gcm(BYTES.generate(rs), ULONG.generate(rs), BYTES.generate(rs), ULONG.generate(rs)),
            rs -> new MechanismParams.Ccm(ULONG.generate(rs), BYTES.generate(rs), BYTES.generate(rs), ULONG.generate(rs)),
            rs -> new MechanismParams.Ctr(ULONG.generate(rs), BYTES.generate(rs)),
            rs -> new MechanismParams.Pss(ULONG.generate(rs), ULONG.generate(rs), ULONG.generate(rs)),
            OAEP.map(o -> (MechanismParams) o),
            rs -> new MechanismParams.Ecdh1Derive(ULONG.generate(rs), BYTES.generate(rs), BYTES.generate(rs)),
            rs -> new MechanismParams.RsaAesKeyWrap(ULONG.generate(rs), BOOL.generate(rs) ? OAEP.generate(rs) : null),
            rs -> new MechanismParams.Eddsa(BOOL.generate(rs), BYTES.generate(rs)),
            rs -> new MechanismParams.Hkdf(BOOL.generate(rs), BOOL.generate(rs), ULONG.generate(rs), ULONG.generate(rs),
                    BYTES.generate(rs), ULONG.generate(rs), BYTES.generate(rs)),
            rs -> new MechanismParams.Sp800108Kdf(ULONG.generate(rs),
                    lists(ULONG.zip(BYTES, MechanismParams.PrfDataParam::new), 4).generate(rs), NULLABLE.generate(rs),
                    lists(TEMPLATE.map(t -> new DerivedKey(t, h -> { })), 3).generate(rs)),
            rs -> new MechanismParams.Pbkdf2(ULONG.generate(rs), BYTES.generate(rs), ULONG.generate(rs), ULONG.generate(rs),
                    BYTES.generate(rs), NULLABLE.generate(rs)),
            BYTES.map(MechanismParams.DerivationString::new),
            rs -> new MechanismParams.AesCbcEncryptData(BYTES.generate(rs), BYTES.generate(rs)),
            rs -> new MechanismParams.ChaCha20(NULLABLE.generate(rs), ULONG.generate(rs), BYTES.generate(rs), ULONG.generate(rs)),
            rs -> new MechanismParams.ChaCha20Poly1305(BYTES.generate(rs), BYTES.generate(rs)),
            rs -> new MechanismParams.GcmMessage(BYTES.generate(rs), ULONG.generate(rs), ULONG.generate(rs), BYTES.generate(rs),
                    ULONG.generate(rs)),
            rs -> new MechanismParams.CcmMessage(ULONG.generate(rs), BYTES.generate(rs), ULONG.generate(rs), ULONG.generate(rs),
                    BYTES.generate(rs)),
            rs -> new MechanismParams.SignAdditionalContext(ULONG.generate(rs), BYTES.generate(rs)),
            rs -> new MechanismParams.HashSignAdditionalContext(ULONG.generate(rs), BYTES.generate(rs), ULONG.generate(rs)));
}
