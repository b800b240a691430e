package io.jhsm.engine.object;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Ck;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a caller's template into a map by type, checking value encodings and contradictions. */
final class Templates {
    private Templates() {}

    /**
     * One entry per type. A type given twice with different values is CKR_TEMPLATE_INCONSISTENT;
     * CK_BBOOL and CK_ULONG values of the wrong size are CKR_ATTRIBUTE_VALUE_INVALID.
     */
    static Map<Long, Attribute> byType(List<Attribute> template) {
        Map<Long, Attribute> map = new LinkedHashMap<>();
        if (template == null) {
            return map;
        }
        for (Attribute a : template) {
            Attribute normal = normalise(a);
            Attribute earlier = map.put(normal.type(), normal);
            if (earlier != null && !earlier.equals(normal)) {
                throw new CkException(CKR.TEMPLATE_INCONSISTENT, CKA.name(a.type()) + " given twice with different values");
            }
        }
        return map;
    }

    private static Attribute normalise(Attribute a) {
        long type = a.type();
        if (Attribute.isTemplateType(type)) {
            List<Attribute> nested = a.template() == null ? List.of() : a.template();
            for (Attribute n : nested) {
                if (Attribute.isTemplateType(n.type())) {
                    throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "templates do not nest twice");
                }
                normalise(n);
            }
            return Attribute.ofTemplate(type, nested);
        }
        byte[] value = a.value() == null ? new byte[0] : a.value();
        if (AttributeRules.BOOLEANS.contains(type) && value.length != 1) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, CKA.name(type) + " must be a CK_BBOOL");
        }
        if (AttributeRules.ULONGS.contains(type) && value.length != Ck.ULONG_SIZE) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, CKA.name(type) + " must be a CK_ULONG");
        }
        if (type == CKA.ALLOWED_MECHANISMS && value.length % Ck.ULONG_SIZE != 0) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CKA_ALLOWED_MECHANISMS must be a CK_MECHANISM_TYPE array");
        }
        return Attribute.of(type, value);
    }

    /** Whether an object's attribute equals the template's value (C_FindObjects matching). */
    static boolean sameValue(Attribute stored, Attribute wanted) {
        if (stored == null) {
            return false;
        }
        if (wanted.template() != null || stored.template() != null) {
            return stored.equals(wanted);
        }
        return Arrays.equals(stored.value(), wanted.value());
    }
}
