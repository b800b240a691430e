package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Ulong;
import java.util.function.Supplier;

/**
 * What a mechanism sees of a key object: its attribute values (key material in clear, inside the
 * engine only) and a per-object cache for parsed keys, so that the hot path does not re-parse an
 * RSA or EC key on every call. The engine has already checked the usage flag (CKA_SIGN …) and
 * CKA_ALLOWED_MECHANISMS; the mechanism checks the key type and size.
 */
public interface KeyView {

    /** The attribute's value, or null when the object has none. */
    byte[] attribute(long type);

    /**
     * A value derived from this key (a parsed JCA/BC key, an expanded AES schedule), computed once
     * per object and kept while the object lives. {@code slot} identifies the kind of derived value.
     */
    <T> T cached(Class<T> slot, Supplier<T> compute);

    default long keyType() {
        return ulong(CKA.KEY_TYPE);
    }

    default long objectClass() {
        return ulong(CKA.CLASS);
    }

    default long ulong(long type) {
        byte[] v = attribute(type);
        if (v == null) {
            throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "key has no " + CKA.name(type));
        }
        return Ulong.decode(v);
    }

    /** The attribute's value, or CKR_KEY_TYPE_INCONSISTENT when the key has none. */
    default byte[] require(long type) {
        byte[] v = attribute(type);
        if (v == null) {
            throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "key has no " + CKA.name(type));
        }
        return v;
    }
}
