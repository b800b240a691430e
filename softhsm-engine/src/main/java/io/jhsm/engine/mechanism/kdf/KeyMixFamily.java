package io.jhsm.engine.mechanism.kdf;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.KeyLookup;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.mac.HmacFamily;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.List;

/**
 * The byte-level derivations of PKCS#11 3.0 §2.43 ("Miscellaneous simple key derivation
 * mechanisms"): concatenating a base key with another key or with data, XOR with data, and
 * extracting a bit range. They carry no cryptographic strength of their own; protocols build on them.
 * Key sizes in bytes.
 */
public final class KeyMixFamily implements MechanismFamily {
    private static final int MIN = HmacFamily.MIN_KEY_BYTES;
    private static final int MAX = HmacFamily.MAX_KEY_BYTES;

    enum Kind { BASE_AND_KEY, BASE_AND_DATA, DATA_AND_BASE, XOR, EXTRACT }

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.CONCATENATE_BASE_AND_KEY, MIN, MAX, CKF.DERIVE, new Mix(Kind.BASE_AND_KEY)),
                row(CKM.CONCATENATE_BASE_AND_DATA, MIN, MAX, CKF.DERIVE, new Mix(Kind.BASE_AND_DATA)),
                row(CKM.CONCATENATE_DATA_AND_BASE, MIN, MAX, CKF.DERIVE, new Mix(Kind.DATA_AND_BASE)),
                row(CKM.XOR_BASE_AND_DATA, MIN, MAX, CKF.DERIVE, new Mix(Kind.XOR)),
                row(CKM.EXTRACT_KEY_FROM_KEY, MIN, MAX, CKF.DERIVE, new Mix(Kind.EXTRACT)));
    }

    private record Mix(Kind kind) implements MechanismImpl {
        @Override
        public boolean copiesKeyBytes() {
            return true;
        }

        @Override
        public List<Attribute> deriveKey(Mechanism mechanism, KeyView baseKey, TemplateView template) {
            return deriveKey(mechanism, baseKey, template, KeyLookup.NONE);
        }

        @Override
        public List<Attribute> deriveKey(Mechanism mechanism, KeyView baseKey, TemplateView template, KeyLookup keys) {
            byte[] base = DerivedKeys.secretValue(baseKey);
            byte[] material = switch (kind) {
                case BASE_AND_KEY -> Bytes.concat(base,
                        DerivedKeys.secretValue(keys.find(mechanism.params(MechanismParams.UlongValue.class).value())));
                case BASE_AND_DATA -> Bytes.concat(base, data(mechanism));
                case DATA_AND_BASE -> Bytes.concat(data(mechanism), base);
                case XOR -> xor(base, data(mechanism));
                case EXTRACT -> null;
            };
            if (kind != Kind.EXTRACT) {
                return DerivedKeys.fromMaterial(template, material);
            }
            long type = DerivedKeys.keyType(template);
            int len = DerivedKeys.length(template, type, base.length);
            return DerivedKeys.of(type, extract(base, mechanism.params(MechanismParams.UlongValue.class).value(), len), len);
        }

        private static byte[] data(Mechanism mechanism) {
            byte[] d = mechanism.params(MechanismParams.DerivationString.class).data();
            if (d == null || d.length == 0) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "the derivation data is empty");
            }
            return d;
        }
    }

    /** The XOR runs over the shorter of the two; the key is that long (PKCS#11 §2.43.5). */
    private static byte[] xor(byte[] base, byte[] data) {
        byte[] out = new byte[Math.min(base.length, data.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (base[i] ^ data[i]);
        }
        return out;
    }

    /**
     * CKM_EXTRACT_KEY_FROM_KEY: {@code length} bytes taken from the base key's bit string starting at
     * bit {@code first} (bit 0 is the most significant bit of the first byte), wrapping around to the
     * start as the specification's example shows.
     */
    static byte[] extract(byte[] base, long first, int length) {
        long bits = 8L * base.length;
        if (first < 0 || first >= bits) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "first bit " + first + " outside the " + bits + "-bit base key");
        }
        if (8L * length > bits) {
            throw new CkException(CKR.TEMPLATE_INCONSISTENT, "cannot extract " + length + " bytes from a " + base.length + "-byte key");
        }
        byte[] out = new byte[length];
        for (int i = 0; i < 8 * length; i++) {
            long src = (first + i) % bits;
            int bit = (base[(int) (src / 8)] >>> (7 - (int) (src % 8))) & 1;
            out[i / 8] |= (byte) (bit << (7 - i % 8));
        }
        return out;
    }
}
