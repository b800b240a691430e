package io.jhsm.bridge;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.MechanismParams;
import java.util.function.Function;

/**
 * Turns one mechanism's parameter (pParameter, ulParameterLen) into its {@link MechanismParams}
 * record. pParameter is never NULL here: {@link MechanismCodec} handles a NULL parameter before
 * asking. Every failure is a CkException (CKR_MECHANISM_PARAM_INVALID), never anything else.
 */
@FunctionalInterface
interface ParamDecoder {
    MechanismParams decode(long pParameter, long ulParameterLen);

    /** A C struct of exactly {@code size} bytes (its LP64 sizeof); any other ulParameterLen is refused. */
    static ParamDecoder struct(String name, int size, Function<ParamStruct, MechanismParams> read) {
        return (p, len) -> {
            if (len != size) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID,
                        name + " parameter of " + Long.toUnsignedString(len) + " bytes, expected " + size);
            }
            return read.apply(new ParamStruct(p));
        };
    }
}
