package io.jhsm.bridge;

import static io.jhsm.bridge.ParamDecoder.struct;

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

    /** Only the count is carried (the engine refuses a non-zero one), but a count needs its array. */
    private static long additionalKeys(ParamStruct s, int countOffset, int pointerOffset) {
        long count = s.ulong(countOffset);
        if (count != 0 && s.pointer(pointerOffset) == 0) {
            throw ParamStruct.invalid("NULL pAdditionalDerivedKeys with " + Long.toUnsignedString(count) + " keys");
        }
        return count;
    }
}
