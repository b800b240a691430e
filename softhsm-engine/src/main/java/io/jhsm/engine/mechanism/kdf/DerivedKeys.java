package io.jhsm.engine.mechanism.kdf;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.Arrays;
import java.util.List;

/**
 * The C_DeriveKey template rules every derivation mechanism shares: the new key's type is
 * CKA_KEY_TYPE (CKK_GENERIC_SECRET when absent), its length CKA_VALUE_LEN, else the length its
 * type fixes, else — for mechanisms with a natural output length — that length.
 */
public final class DerivedKeys {
    private DerivedKeys() {}

    public static long keyType(TemplateView template) {
        return template.has(CKA.KEY_TYPE) ? template.requireLong(CKA.KEY_TYPE) : CKK.GENERIC_SECRET;
    }

    /**
     * The number of bytes to derive. {@code natural} is the mechanism's own output length, or 0 when
     * it can produce any length (a KDF), in which case the template must say.
     */
    public static int length(TemplateView template, long keyType, int natural) {
        long len;
        if (template.has(CKA.VALUE_LEN)) {
            len = template.requireLong(CKA.VALUE_LEN);
        } else if (SecretKeyLengths.fixedLength(keyType) != 0) {
            len = SecretKeyLengths.fixedLength(keyType);
        } else if (natural > 0) {
            len = natural;
        } else {
            throw new CkException(CKR.TEMPLATE_INCOMPLETE, "derived " + CKK.name(keyType) + " key needs CKA_VALUE_LEN");
        }
        if (natural > 0 && len > natural) {
            throw new CkException(CKR.TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN " + len + " exceeds the " + natural + " bytes this mechanism yields");
        }
        if (!SecretKeyLengths.valid(keyType, len)) {
            throw new CkException(CKR.TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN " + len + " does not fit " + CKK.name(keyType));
        }
        return (int) len;
    }

    /** The new key's attributes from its first {@code length} bytes of material. */
    public static List<Attribute> of(long keyType, byte[] material, int length) {
        // Always a copy: callers wipe their material (shared secrets, PRKs) once the key is made.
        byte[] value = Arrays.copyOf(material, length);
        if (SecretKeyLengths.isDes(keyType)) {
            value = SecretKeyLengths.withDesParity(value);
        }
        if (!SecretKeyLengths.hasValueLen(keyType)) {
            return List.of(Attribute.of(CKA.KEY_TYPE, keyType), Attribute.of(CKA.VALUE, value));
        }
        return List.of(Attribute.of(CKA.KEY_TYPE, keyType), Attribute.of(CKA.VALUE, value), Attribute.of(CKA.VALUE_LEN, (long) length));
    }

    /** Shorthand: type and length from the template, material cut to length. */
    public static List<Attribute> fromMaterial(TemplateView template, byte[] material) {
        long type = keyType(template);
        return of(type, material, length(template, type, material.length));
    }

    /** The value of a secret base key (any secret type): derivation mechanisms work on its bytes. */
    static byte[] secretValue(KeyView key) {
        if (key.attribute(CKA.CLASS) != null && key.objectClass() != io.jhsm.pkcs11.CKO.SECRET_KEY) {
            throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "base key must be a secret key");
        }
        return key.require(CKA.VALUE);
    }
}
