package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.List;

/** Read access to a caller's template, for key generation parameters (CKA_VALUE_LEN, CKA_MODULUS_BITS, CKA_EC_PARAMS …). */
public record TemplateView(List<Attribute> attributes) {

    public TemplateView {
        attributes = List.copyOf(attributes);
    }

    /** The last value given for the type (a template may repeat a type; PKCS#11 leaves that to the module), or null. */
    public byte[] get(long type) {
        for (int i = attributes.size() - 1; i >= 0; i--) {
            if (attributes.get(i).type() == type) {
                return attributes.get(i).value();
            }
        }
        return null;
    }

    public boolean has(long type) {
        return get(type) != null;
    }

    /** The value, or CKR_TEMPLATE_INCOMPLETE when the template lacks it. */
    public byte[] require(long type) {
        byte[] v = get(type);
        if (v == null) {
            throw new CkException(CKR.TEMPLATE_INCOMPLETE, "template needs " + CKA.name(type));
        }
        return v;
    }

    public long requireLong(long type) {
        return io.jhsm.pkcs11.Ulong.decode(require(type));
    }
}
