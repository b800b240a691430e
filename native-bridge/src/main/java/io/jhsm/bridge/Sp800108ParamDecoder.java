package io.jhsm.bridge;

import static io.jhsm.bridge.ParamDecoder.struct;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.DerivedKey;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.pkcs11.MechanismParams.PrfDataParam;
import java.util.ArrayList;
import java.util.List;

/**
 * CK_SP800_108_KDF_PARAMS (counter and double-pipeline KDFs) and CK_SP800_108_FEEDBACK_KDF_PARAMS,
 * with their array of CK_PRF_DATA_PARAM {type; pValue; ulValueLen} (24 bytes each on LP64).
 */
final class Sp800108ParamDecoder {
    private Sp800108ParamDecoder() {}

    /** Far above any real KDF input layout (a handful of fields); bounds what a bad count can make us read. */
    static final int MAX_DATA_PARAMS = 256;
    private static final int PRF_DATA_PARAM_SIZE = 24;
    /** Far above any protocol's key schedule (SCP03 or Kerberos derive a handful); bounds the objects one call makes. */
    static final int MAX_ADDITIONAL_KEYS = 64;
    private static final int DERIVED_KEY_SIZE = 24;

    /** {prfType; ulNumberOfDataParams; pDataParams; ulAdditionalDerivedKeys; pAdditionalDerivedKeys}. */
    static final ParamDecoder KDF = struct("CK_SP800_108_KDF_PARAMS", 40,
            s -> new MechanismParams.Sp800108Kdf(s.ulong(0), dataParams(s, 8, 16), null, additionalKeys(s, 24, 32)));

    /** {prfType; ulNumberOfDataParams; pDataParams; ulIVLen; pIV; ulAdditionalDerivedKeys; pAdditionalDerivedKeys}. */
    static final ParamDecoder FEEDBACK = struct("CK_SP800_108_FEEDBACK_KDF_PARAMS", 56,
            s -> new MechanismParams.Sp800108Kdf(s.ulong(0), dataParams(s, 8, 16), s.bytes(32, 24), additionalKeys(s, 40, 48)));

    private static List<PrfDataParam> dataParams(ParamStruct s, int countOffset, int pointerOffset) {
        long count = s.ulong(countOffset);
        long array = s.pointer(pointerOffset);
        if (count < 0 || count > MAX_DATA_PARAMS) {
            throw ParamStruct.invalid("ulNumberOfDataParams " + Long.toUnsignedString(count) + " above " + MAX_DATA_PARAMS);
        }
        if (array == 0 && count != 0) {
            throw ParamStruct.invalid("NULL pDataParams with " + count + " data parameters");
        }
        List<PrfDataParam> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            ParamStruct d = new ParamStruct(array).element(i, PRF_DATA_PARAM_SIZE);
            out.add(new PrfDataParam(d.ulong(0), d.bytes(8, 16)));
        }
        return out;
    }

    /**
     * The CK_DERIVED_KEY array {pTemplate; ulAttributeCount; phKey} (24 bytes each on LP64). Its
     * count and pointer are both set or both not (§2.42.3), and every entry needs a phKey. The
     * templates are copied now; the handles go to phKey through {@link DerivedKey#phKey}, which the
     * engine calls only when the whole derivation succeeded (or with CK_INVALID_HANDLE for the key
     * whose template failed).
     */
    private static List<DerivedKey> additionalKeys(ParamStruct s, int countOffset, int pointerOffset) {
        long count = s.ulong(countOffset);
        long array = s.pointer(pointerOffset);
        if ((count == 0) != (array == 0)) {
            throw ParamStruct.invalid("ulAdditionalDerivedKeys " + Long.toUnsignedString(count)
                    + (array == 0 ? " with a NULL" : " with a non-NULL") + " pAdditionalDerivedKeys");
        }
        if (count < 0 || count > MAX_ADDITIONAL_KEYS) {
            throw ParamStruct.invalid("ulAdditionalDerivedKeys " + Long.toUnsignedString(count) + " above " + MAX_ADDITIONAL_KEYS);
        }
        List<DerivedKey> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            ParamStruct k = new ParamStruct(array).element(i, DERIVED_KEY_SIZE);
            long phKey = k.pointer(16);
            if (phKey == 0) {
                throw ParamStruct.invalid("NULL phKey in additional derived key " + i);
            }
            out.add(new DerivedKey(template(k.pointer(0), k.ulong(8), i), handle -> NativeMem.writeUlong(phKey, handle)));
        }
        return out;
    }

    /** A malformed template inside the mechanism parameter is the parameter's fault. */
    private static List<Attribute> template(long pTemplate, long count, int key) {
        try {
            return TemplateCodec.decode(pTemplate, count);
        } catch (CkException e) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "template of additional derived key " + key + ": " + e.getMessage(), e);
        }
    }
}
