package io.jhsm.engine.object;

import io.jhsm.pkcs11.Attribute;
import java.util.List;
import java.util.Map;

/**
 * What a token's profile adds to the specification's rules for a new key: the defaults it gives and the
 * templates it refuses (the cloudhsm profile's {@code CloudHsmKeyRules}). The object factory asks it for every
 * key it makes, so C_CreateObject, C_GenerateKey(Pair), C_UnwrapKey and C_DeriveKey meet the same rules.
 */
public interface KeyTemplateRules {
    /** The specification alone: the template as the caller gave it. */
    KeyTemplateRules SPECIFICATION = (function, objectClass, keyType, template) -> template;

    /**
     * The template the factory builds the key of {@code objectClass} and {@code keyType} from, for the PKCS#11
     * function {@code function} ("C_GenerateKey"): the caller's, with the profile's defaults added, or a
     * CkException when the profile refuses it.
     */
    List<Attribute> template(String function, long objectClass, long keyType, List<Attribute> template);

    /** Checks the finished key's attributes (its size, say); the specification has nothing to add. */
    default void check(String function, Map<Long, Attribute> key) {}
}
