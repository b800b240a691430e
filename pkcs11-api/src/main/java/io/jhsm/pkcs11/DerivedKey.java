package io.jhsm.pkcs11;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * CK_DERIVED_KEY (pTemplate, ulAttributeCount, phKey): one more key a derivation makes besides the
 * one C_DeriveKey's own template describes (SP 800-108's additional derived keys). {@code phKey}
 * receives the new key's handle; the engine hands it over only once every key of the call exists,
 * or CK_INVALID_HANDLE when this key's template is what made the call fail, so a caller never
 * holds a handle to a key that was rolled back.
 */
public record DerivedKey(List<Attribute> template, LongConsumer phKey) {
    public DerivedKey {
        template = List.copyOf(template);
    }

    @Override
    public String toString() {
        return "DerivedKey(" + template.size() + " attributes)";
    }
}
