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
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NIST SP 800-108 KDFs in counter, feedback and double-pipeline mode (PKCS#11 3.0 §2.42), with HMAC
 * (SHA-1, SHA-2, SHA-3), AES-CMAC or DES3-CMAC as the PRF. One call may derive several keys: the
 * keying material goes to the call's own key first, then to each CK_DERIVED_KEY in order, every key
 * starting on a fresh PRF segment (§2.42.7: no segment is shared by two keys).
 */
public final class Sp800108Family implements MechanismFamily {
    /**
     * §2.42 reports the base key range in bits (unlike the HMAC mechanisms' bytes): any secret key an
     * HMAC PRF takes, which covers the CMAC PRFs' AES and DES3 keys too.
     */
    static final long MIN_BASE_BITS = 8L * HmacFamily.MIN_KEY_BYTES;
    static final long MAX_BASE_BITS = 8L * HmacFamily.MAX_KEY_BYTES;

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.SP800_108_COUNTER_KDF, MIN_BASE_BITS, MAX_BASE_BITS, CKF.DERIVE, new Kdf(Sp800108Mode.COUNTER)),
                row(CKM.SP800_108_FEEDBACK_KDF, MIN_BASE_BITS, MAX_BASE_BITS, CKF.DERIVE, new Kdf(Sp800108Mode.FEEDBACK)),
                row(CKM.SP800_108_DOUBLE_PIPELINE_KDF, MIN_BASE_BITS, MAX_BASE_BITS, CKF.DERIVE, new Kdf(Sp800108Mode.DOUBLE_PIPELINE)));
    }

    private record Kdf(Sp800108Mode mode) implements MechanismImpl {
        @Override
        public List<Attribute> deriveKey(Mechanism mechanism, KeyView baseKey, TemplateView template) {
            return deriveKeys(mechanism, baseKey, template, List.of(), KeyLookup.NONE).get(0);
        }

        @Override
        public List<List<Attribute>> deriveKeys(Mechanism mechanism, KeyView baseKey, TemplateView template,
                List<TemplateView> more, KeyLookup keys) {
            MechanismParams.Sp800108Kdf p = mechanism.params(MechanismParams.Sp800108Kdf.class);
            if (mode != Sp800108Mode.FEEDBACK && p.iv() != null) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "only the feedback KDF takes an IV");
            }
            if (p.additionalDerivedKeys().size() != more.size()) {
                throw new CkException(CKR.GENERAL_ERROR, "the engine passed " + more.size() + " templates for "
                        + p.additionalDerivedKeys().size() + " additional keys");
            }
            mode.validate(p.dataParams());
            Prf prf = prf(p.prfType(), baseKey);
            List<TemplateView> templates = new ArrayList<>(more.size() + 1);
            templates.add(template);
            templates.addAll(more);
            long[] types = new long[templates.size()];
            int[] lengths = new int[templates.size()];
            for (int k = 0; k < templates.size(); k++) {
                try {
                    types[k] = DerivedKeys.keyType(templates.get(k));
                    lengths[k] = DerivedKeys.length(templates.get(k), types[k], 0);
                } catch (CkException e) {
                    throw new DerivedKeyTemplateException(k, e);
                }
            }
            int h = prf.length();
            long keyBytes = 0;
            long segments = 0;
            for (int len : lengths) {
                keyBytes += len;
                segments += (len + h - 1) / h;
            }
            if (segments > Integer.MAX_VALUE / h) {
                throw new CkException(CKR.TEMPLATE_INCONSISTENT, keyBytes + " bytes of keying material is more than one call derives");
            }
            byte[] stream = mode.generate(prf, p.dataParams(), p.iv(), (int) segments,
                    new Sp800108Mode.DkmBytes(keyBytes, segments * h));
            try {
                List<List<Attribute>> out = new ArrayList<>(templates.size());
                int offset = 0;
                for (int k = 0; k < templates.size(); k++) {
                    byte[] slice = Arrays.copyOfRange(stream, offset, offset + lengths[k]);
                    out.add(DerivedKeys.of(types[k], slice, lengths[k]));
                    Arrays.fill(slice, (byte) 0);
                    offset += (lengths[k] + h - 1) / h * h;
                }
                return out;
            } finally {
                Arrays.fill(stream, (byte) 0);
            }
        }
    }

    private static Prf prf(long prfType, KeyView baseKey) {
        if (prfType == CKM.AES_CMAC) {
            KeyChecks.requireKeyType(baseKey, CKK.AES);
            return Prf.aesCmac(baseKey.require(CKA.VALUE));
        }
        if (prfType == CKM.DES3_CMAC) {
            KeyChecks.requireKeyType(baseKey, CKK.DES3);
            return Prf.des3Cmac(baseKey.require(CKA.VALUE));
        }
        for (HashAlg h : HashAlg.STANDARD) {
            if (h.hmac == prfType) {
                return Prf.hmac(h, DerivedKeys.secretValue(baseKey));
            }
        }
        throw new CkException(CKR.MECHANISM_PARAM_INVALID, "unsupported PRF " + CKM.name(prfType));
    }
}
