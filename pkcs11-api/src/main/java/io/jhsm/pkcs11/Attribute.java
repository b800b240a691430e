package io.jhsm.pkcs11;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One CK_ATTRIBUTE of an input template. {@code value} holds the bytes exactly as C sees them
 * (CK_ULONG as 8 native-order bytes, CK_BBOOL as one byte); the attribute-array types
 * (CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE, CKA_DERIVE_TEMPLATE, CKA_ENCAPSULATE_TEMPLATE, CKA_DECAPSULATE_TEMPLATE) carry {@code template} instead.
 */
public record Attribute(long type, byte[] value, List<Attribute> template) {

    public Attribute {
        template = template == null ? null : List.copyOf(template);
    }

    public static Attribute of(long type, byte[] value) {
        return new Attribute(type, value, null);
    }

    public static Attribute of(long type, boolean value) {
        return of(type, Ulong.encodeBool(value));
    }

    public static Attribute of(long type, long value) {
        return of(type, Ulong.encode(value));
    }

    public static Attribute of(long type, String utf8) {
        return of(type, utf8.getBytes(StandardCharsets.UTF_8));
    }

    public static Attribute ofTemplate(long type, List<Attribute> template) {
        return new Attribute(type, null, template);
    }

    /** True for the types whose value is itself an attribute array. CKA_ALLOWED_MECHANISMS is a CK_ULONG array, not one. */
    public static boolean isTemplateType(long type) {
        return type == CKA.WRAP_TEMPLATE || type == CKA.UNWRAP_TEMPLATE || type == CKA.DERIVE_TEMPLATE
                || type == CKA.ENCAPSULATE_TEMPLATE || type == CKA.DECAPSULATE_TEMPLATE;
    }

    public long asLong() {
        return Ulong.decode(value);
    }

    public boolean asBoolean() {
        return Ulong.decodeBool(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attribute a && a.type == type && Arrays.equals(a.value, value)
                && java.util.Objects.equals(a.template, template);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(type) * 31 + Arrays.hashCode(value);
    }

    /** Never prints the value: templates carry key material. */
    @Override
    public String toString() {
        return CKA.name(type) + (template != null ? "[" + template.size() + " attributes]"
                : value == null ? "=NULL" : "[" + value.length + " bytes]");
    }
}
