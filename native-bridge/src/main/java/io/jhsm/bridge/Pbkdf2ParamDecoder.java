package io.jhsm.bridge;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.MechanismParams;

/**
 * CKM_PKCS5_PBKD2's parameter: CK_PKCS5_PBKD2_PARAMS2 {saltSource; pSaltSourceData;
 * ulSaltSourceDataLen; iterations; prf; pPrfData; ulPrfDataLen; pPassword; ulPasswordLen}, or the
 * older CK_PKCS5_PBKD2_PARAMS whose last field is a CK_ULONG_PTR to the password length.
 *
 * <p>On LP64 both are 72 bytes, so ulParameterLen cannot tell them apart; the last field does. A
 * value below 64 KiB is a length (no password is that long, and Linux maps nothing that low); an
 * aligned value the kernel reports as mapped memory is a pointer to the length; anything else is
 * refused. A pPassword of NULL (with length 0) is passed as null so the engine can refuse it.
 */
final class Pbkdf2ParamDecoder implements ParamDecoder {
    static final int SIZE = 72;
    /** Passwords are shorter than this; it is also AddressProbe.MIN_MAPPED. */
    static final long MAX_PASSWORD = AddressProbe.MIN_MAPPED - 1;

    @Override
    public MechanismParams decode(long pParameter, long len) {
        if (len != SIZE) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID,
                    "CK_PKCS5_PBKD2_PARAMS(2) parameter of " + Long.toUnsignedString(len) + " bytes, expected " + SIZE);
        }
        ParamStruct s = new ParamStruct(pParameter);
        long passwordLen = passwordLength(s.ulong(64));
        long pPassword = s.pointer(56);
        byte[] password = pPassword == 0 && passwordLen == 0 ? null : ParamStruct.bytesAt(pPassword, passwordLen);
        return new MechanismParams.Pbkdf2(s.ulong(0), s.bytes(8, 16), s.ulong(24), s.ulong(32), s.bytes(40, 48), password);
    }

    private static long passwordLength(long field) {
        if (field >= 0 && field <= MAX_PASSWORD) {
            return field; // CK_PKCS5_PBKD2_PARAMS2
        }
        if ((field & 7) == 0 && AddressProbe.mapped(field, 8)) {
            long len = NativeMem.at(field).getLong(0); // CK_PKCS5_PBKD2_PARAMS: ulPasswordLen points to it
            if (len >= 0 && len <= MAX_PASSWORD) {
                return len;
            }
        }
        throw ParamStruct.invalid("ulPasswordLen is neither a password length below 64 KiB nor a pointer to one");
    }
}
