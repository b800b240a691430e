package io.jhsm.engine.mechanism.kdf;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.KeyChecks;
import io.jhsm.engine.mechanism.KeyLookup;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.engine.mechanism.mac.HmacFamily;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import java.util.List;

/**
 * CKM_HKDF_DERIVE and CKM_HKDF_DATA (RFC 5869 with CK_HKDF_PARAMS), and CKM_HKDF_KEY_GEN for
 * CKK_HKDF keys. Extract, expand, or both, as bExtract/bExpand say; the salt is absent, given
 * inline, or the value of another key (CKF_HKDF_SALT_KEY, resolved by the engine through KeyLookup).
 * Key sizes are the base key's, in bytes.
 */
public final class HkdfFamily implements MechanismFamily {
    private static final int MIN = HmacFamily.MIN_KEY_BYTES;
    private static final int MAX = HmacFamily.MAX_KEY_BYTES;

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.HKDF_DERIVE, MIN, MAX, CKF.DERIVE, new Hkdf()),
                row(CKM.HKDF_DATA, MIN, MAX, CKF.DERIVE, new Hkdf()),
                row(CKM.HKDF_KEY_GEN, MIN, MAX, CKF.GENERATE, new MechanismImpl() {
                    @Override
                    public List<Attribute> generateKey(Mechanism mechanism, TemplateView template) {
                        List<Attribute> generic = HmacFamily.generateSecret(template);
                        return List.of(Attribute.of(io.jhsm.pkcs11.CKA.KEY_TYPE, CKK.HKDF), generic.get(1), generic.get(2));
                    }
                }));
    }

    private static final class Hkdf implements MechanismImpl {
        @Override
        public List<Attribute> deriveKey(Mechanism mechanism, KeyView baseKey, TemplateView template) {
            return deriveKey(mechanism, baseKey, template, KeyLookup.NONE);
        }

        @Override
        public List<Attribute> deriveKey(Mechanism mechanism, KeyView baseKey, TemplateView template, KeyLookup keys) {
            MechanismParams.Hkdf p = mechanism.params(MechanismParams.Hkdf.class);
            if (!p.extract() && !p.expand()) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "HKDF needs bExtract, bExpand or both");
            }
            HashAlg hash = HashAlg.byCkm(p.prfHash());
            if (mechanism.type() == CKM.HKDF_DERIVE) {
                KeyChecks.requireKeyType(baseKey, CKK.HKDF, CKK.GENERIC_SECRET);
            }
            byte[] ikm = baseKey.require(io.jhsm.pkcs11.CKA.VALUE);
            long type = DerivedKeys.keyType(template);
            byte[] prk = p.extract() ? extract(hash, salt(p, keys), ikm) : ikm;
            if (!p.expand()) {
                return DerivedKeys.of(type, prk, DerivedKeys.length(template, type, prk.length));
            }
            int len = DerivedKeys.length(template, type, 0);
            if (len > 255 * hash.length) {
                throw new CkException(CKR.TEMPLATE_INCONSISTENT, "HKDF yields at most " + 255 * hash.length + " bytes with " + hash);
            }
            return DerivedKeys.of(type, expand(hash, prk, p.info() == null ? new byte[0] : p.info(), len), len);
        }

        private static byte[] salt(MechanismParams.Hkdf p, KeyLookup keys) {
            long t = p.saltType();
            if (t == CKF.HKDF_SALT_NULL) {
                return new byte[0];
            }
            if (t == CKF.HKDF_SALT_DATA) {
                if (p.salt() == null || p.salt().length == 0) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, "CKF_HKDF_SALT_DATA with no salt");
                }
                return p.salt();
            }
            if (t == CKF.HKDF_SALT_KEY) {
                return DerivedKeys.secretValue(keys.find(p.saltKey()));
            }
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "ulSaltType " + t);
        }
    }

    /** RFC 5869 §2.2; an absent salt is HashLen zero bytes, which Prf.hmac supplies for an empty key. */
    static byte[] extract(HashAlg hash, byte[] salt, byte[] ikm) {
        return Prf.hmac(hash, salt).of(ikm);
    }

    /** RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) | info | i). */
    static byte[] expand(HashAlg hash, byte[] prk, byte[] info, int length) {
        Prf prf = Prf.hmac(hash, prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        for (int i = 1, done = 0; done < length; i++) {
            t = prf.of(t, info, new byte[] {(byte) i});
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }
}
