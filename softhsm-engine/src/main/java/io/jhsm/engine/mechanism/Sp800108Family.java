package io.jhsm.engine.mechanism;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.pkcs11.MechanismParams.PrfDataParam;
import java.util.List;

/**
 * NIST SP 800-108 KDFs in counter and feedback mode (PKCS#11 3.0 §2.42), with HMAC (SHA-1, SHA-2,
 * SHA-3) or AES-CMAC as the PRF. The PRF input is the caller's list of data parameters, laid out in
 * order; we derive one key (additional derived keys would need the engine to create several objects,
 * which the SPI does not offer, so a non-zero count is refused). Key sizes in bytes.
 */
final class Sp800108Family implements MechanismFamily {

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.SP800_108_COUNTER_KDF, HmacFamily.MIN_KEY_BYTES, HmacFamily.MAX_KEY_BYTES, CKF.DERIVE, new Kdf(false)),
                row(CKM.SP800_108_FEEDBACK_KDF, HmacFamily.MIN_KEY_BYTES, HmacFamily.MAX_KEY_BYTES, CKF.DERIVE, new Kdf(true)));
    }

    private record Kdf(boolean feedback) implements MechanismImpl {
        @Override
        public List<Attribute> deriveKey(Mechanism mechanism, KeyView baseKey, TemplateView template) {
            MechanismParams.Sp800108Kdf p = mechanism.params(MechanismParams.Sp800108Kdf.class);
            if (p.additionalDerivedKeys() != 0) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "additional derived keys are not supported");
            }
            if (!feedback && p.iv() != null && p.iv().length != 0) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "the counter KDF takes no IV");
            }
            Prf prf = prf(p.prfType(), baseKey);
            long type = DerivedKeys.keyType(template);
            int len = DerivedKeys.length(template, type, 0);
            int h = prf.length();
            long rounds = (len + h - 1) / h;
            validate(p.dataParams());
            byte[] out = new byte[len];
            byte[] previous = feedback && p.iv() != null ? p.iv() : new byte[0];
            for (long i = 1, done = 0; done < len; i++) {
                for (PrfDataParam d : p.dataParams()) {
                    prf.update(input(d, i, previous, len, rounds * h));
                }
                previous = prf.doFinal();
                int n = (int) Math.min(h, len - done);
                System.arraycopy(previous, 0, out, (int) done, n);
                done += n;
            }
            return DerivedKeys.of(type, out, len);
        }

        private byte[] input(PrfDataParam d, long i, byte[] previous, long keyBytes, long segmentBytes) {
            long t = d.type();
            if (t == Sp800108Formats.ITERATION_VARIABLE) {
                return feedback ? previous : Sp800108Formats.Counter.parse(d.value()).encode(i);
            }
            if (t == Sp800108Formats.OPTIONAL_COUNTER) {
                return Sp800108Formats.Counter.parse(d.value()).encode(i);
            }
            if (t == Sp800108Formats.DKM_LENGTH) {
                Sp800108Formats.DkmLength f = Sp800108Formats.DkmLength.parse(d.value());
                return f.encode(8 * (f.method() == Sp800108Formats.DKM_SUM_OF_KEYS ? keyBytes : segmentBytes));
            }
            return d.value() == null ? new byte[0] : d.value();
        }

        /** One iteration variable, at most one DKM length, an optional counter only in feedback mode. */
        private void validate(List<PrfDataParam> params) {
            int iteration = 0;
            int dkm = 0;
            int counter = 0;
            for (PrfDataParam d : params) {
                long t = d.type();
                if (t == Sp800108Formats.ITERATION_VARIABLE) {
                    iteration++;
                    if (feedback && d.value() != null && d.value().length != 0) {
                        throw new CkException(CKR.MECHANISM_PARAM_INVALID, "the feedback iteration variable takes no value");
                    }
                    if (!feedback) {
                        Sp800108Formats.Counter.parse(d.value());
                    }
                } else if (t == Sp800108Formats.OPTIONAL_COUNTER) {
                    counter++;
                    Sp800108Formats.Counter.parse(d.value());
                } else if (t == Sp800108Formats.DKM_LENGTH) {
                    dkm++;
                    Sp800108Formats.DkmLength.parse(d.value());
                } else if (t != Sp800108Formats.BYTE_ARRAY) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, "unsupported data parameter type " + t);
                }
            }
            if (iteration != 1 || dkm > 1 || (!feedback && counter > 0) || counter > 1) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "data parameters need exactly one iteration variable,"
                        + " at most one DKM length, and an optional counter only in feedback mode");
            }
        }
    }

    private static Prf prf(long prfType, KeyView baseKey) {
        if (prfType == CKM.AES_CMAC) {
            KeyChecks.requireKeyType(baseKey, CKK.AES);
            return Prf.aesCmac(baseKey.require(CKA.VALUE));
        }
        for (HashAlg h : HashAlg.values()) {
            if (h.hmac == prfType) {
                return Prf.hmac(h, DerivedKeys.secretValue(baseKey));
            }
        }
        throw new CkException(CKR.MECHANISM_PARAM_INVALID, "unsupported PRF " + CKM.name(prfType));
    }
}
