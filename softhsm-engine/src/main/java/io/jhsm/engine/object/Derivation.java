package io.jhsm.engine.object;

import static io.jhsm.pkcs11.CKA.*;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.List;
import java.util.Map;

/**
 * Where a derived key came from: the base key first, then every other key the mechanism parameter
 * named (CKM_CONCATENATE_BASE_AND_KEY's second key, an HKDF salt key), and whether the mechanism copies
 * their bytes into the new key. What the new key inherits follows the mechanism:
 * <ul>
 *   <li>Byte-copying derivations (PKCS#11 3.0 §2.43: concatenate, XOR, extract; encrypt-data) expose the
 *       keys' bytes, so if <em>any</em> of them is sensitive (unextractable, wrap-with-trusted) so is the new
 *       key, under every policy; CKA_ALWAYS_SENSITIVE/NEVER_EXTRACTABLE combine all of them.</li>
 *   <li>One-way KDFs (ECDH, HKDF, SP 800-108) reveal nothing of their inputs: the template decides
 *       CKA_SENSITIVE/EXTRACTABLE, and the history follows the base key as the specification defines.
 *       The strict policy refuses a readable key from a sensitive (or extractable from an unextractable)
 *       base, as jhsm always did.</li>
 * </ul>
 */
public record Derivation(List<HsmObject> sources, boolean copiesBytes) {

    public Derivation {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a derivation has a base");
        }
    }

    /** The keys whose protection and history the new key carries. */
    private List<HsmObject> protecting() {
        return copiesBytes ? sources : sources.subList(0, 1);
    }

    /** Checks (strict) and sets (every policy) the new key's protection, before the token stamps its history. */
    void protect(Map<Long, Attribute> object, KeyPolicyMode policy) {
        if (!object.containsKey(SENSITIVE)) {
            return;
        }
        boolean sensitive = protecting().stream().anyMatch(k -> secret(k) && k.flag(SENSITIVE));
        boolean unextractable = protecting().stream().anyMatch(k -> secret(k) && !k.flag(EXTRACTABLE));
        boolean readable = sensitive && !object.get(SENSITIVE).asBoolean()
                || unextractable && object.get(EXTRACTABLE).asBoolean();
        if (readable && policy.strict()) {
            throw new CkException(CKR.TEMPLATE_INCONSISTENT, "a key derived from a sensitive or unextractable key must be so too");
        }
        if (!copiesBytes) {
            return;
        }
        // PKCS#11 3.0 §2.43: "if either of the two original keys has CKA_SENSITIVE set to CK_TRUE, so does the derived key".
        if (sensitive) {
            object.put(SENSITIVE, Attribute.of(SENSITIVE, true));
        }
        if (unextractable) {
            object.put(EXTRACTABLE, Attribute.of(EXTRACTABLE, false));
        }
        // The bytes of a key that may only travel under a trusted key must not travel otherwise in a copy.
        if (protecting().stream().anyMatch(k -> secret(k) && k.flag(WRAP_WITH_TRUSTED))) {
            object.put(WRAP_WITH_TRUSTED, Attribute.of(WRAP_WITH_TRUSTED, true));
        }
    }

    /** CKA_ALWAYS_SENSITIVE of the new key is possible only if every key it inherits from was always sensitive. */
    boolean alwaysSensitive() {
        return protecting().stream().allMatch(k -> secret(k) && k.flag(ALWAYS_SENSITIVE));
    }

    /** CKA_NEVER_EXTRACTABLE likewise. */
    boolean neverExtractable() {
        return protecting().stream().allMatch(k -> secret(k) && k.flag(NEVER_EXTRACTABLE));
    }

    /** Only secret and private keys carry protection; a data object (CKM_HKDF_DATA) is known material. */
    private static boolean secret(HsmObject o) {
        long c = o.objectClassOrUnknown();
        return c == CKO.SECRET_KEY || c == CKO.PRIVATE_KEY;
    }
}
