package io.jhsm.pkcs11;

import java.util.List;

/**
 * What C_GetAttributeValue found for one requested type: the value, or why there is none
 * ({@code rv} is CKR_ATTRIBUTE_SENSITIVE or CKR_ATTRIBUTE_TYPE_INVALID, and the C length becomes
 * CK_UNAVAILABLE_INFORMATION). The buffer-length protocol is the C ABI's business, not the engine's.
 */
public record AttributeReading(long type, long rv, byte[] value, List<Attribute> template) {

    public static AttributeReading of(long type, byte[] value) {
        return new AttributeReading(type, CKR.OK, value, null);
    }

    public static AttributeReading ofTemplate(long type, List<Attribute> template) {
        return new AttributeReading(type, CKR.OK, null, List.copyOf(template));
    }

    public static AttributeReading unavailable(long type, long rv) {
        return new AttributeReading(type, rv, null, null);
    }

    public boolean available() {
        return rv == CKR.OK;
    }

    @Override
    public String toString() {
        return CKA.name(type) + (available() ? (value != null ? "[" + value.length + " bytes]" : "[template]") : "=" + CKR.name(rv));
    }
}
