package io.jhsm.bridge;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.ArrayList;
import java.util.List;

/**
 * Input templates: arrays of CK_ATTRIBUTE {type, pValue, ulValueLen}, 24 bytes each on LP64.
 * The attribute-array types (CKA_WRAP/UNWRAP/DERIVE_TEMPLATE) hold a nested CK_ATTRIBUTE array,
 * decoded one level deep: PKCS#11 defines no deeper nesting.
 */
final class TemplateCodec {
    private TemplateCodec() {}

    static final int ATTRIBUTE_SIZE = 24;
    static final int OFF_TYPE = 0, OFF_VALUE = 8, OFF_LEN = 16;

    /** More attributes than any object type has, by far; a bigger count is a garbage argument. */
    static final int MAX_COUNT = 1 << 16;

    static List<Attribute> decode(long pTemplate, long ulCount) {
        return decode(pTemplate, ulCount, true);
    }

    /** The attribute count as an int, with NULL-array and absurd-count checks. */
    static int count(long pTemplate, long ulCount) {
        if (ulCount != 0 && pTemplate == 0) {
            throw new CkException(CKR.ARGUMENTS_BAD, "NULL template with count " + Long.toUnsignedString(ulCount));
        }
        if (ulCount < 0 || ulCount > MAX_COUNT) {
            throw new CkException(CKR.ARGUMENTS_BAD, "template count " + Long.toUnsignedString(ulCount));
        }
        return (int) ulCount;
    }

    private static List<Attribute> decode(long pTemplate, long ulCount, boolean allowNested) {
        int n = count(pTemplate, ulCount);
        List<Attribute> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Pointer a = NativeMem.at(pTemplate + (long) i * ATTRIBUTE_SIZE);
            long type = a.getLong(OFF_TYPE);
            long pValue = a.getLong(OFF_VALUE);
            long len = a.getLong(OFF_LEN);
            if (pValue == 0 && len != 0) {
                throw new CkException(CKR.ARGUMENTS_BAD, "attribute with NULL pValue and length " + Long.toUnsignedString(len));
            }
            if (Attribute.isTemplateType(type)) {
                if (!allowNested || len % ATTRIBUTE_SIZE != 0) {
                    throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "attribute array of " + Long.toUnsignedString(len) + " bytes");
                }
                out.add(Attribute.ofTemplate(type, decode(pValue, len / ATTRIBUTE_SIZE, false)));
            } else {
                out.add(Attribute.of(type, NativeMem.input(pValue, len)));
            }
        }
        return out;
    }
}
