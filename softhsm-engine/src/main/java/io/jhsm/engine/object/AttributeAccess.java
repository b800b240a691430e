package io.jhsm.engine.object;

import static io.jhsm.pkcs11.CKA.*;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading, changing and matching the attributes of existing objects, by the specification's rules. */
public final class AttributeAccess {
    private AttributeAccess() {}

    private static final java.util.Set<Long> ROLES = java.util.Set.of(ENCRYPT, DECRYPT, WRAP, UNWRAP);

    /** What C_GetAttributeValue reveals of one attribute. Secret components of a sensitive or unextractable key: nothing. */
    public static AttributeReading read(HsmObject object, long type) {
        long cls = object.objectClassOrUnknown();
        if (!AttributeRules.applies(cls, object.keyTypeOrUnknown(), type)) {
            return AttributeReading.unavailable(type, CKR.ATTRIBUTE_TYPE_INVALID);
        }
        if (AttributeRules.isSecretComponent(cls, type) && !revealable(object)) {
            return AttributeReading.unavailable(type, CKR.ATTRIBUTE_SENSITIVE);
        }
        Attribute a = object.attributes().get(type);
        if (a == null) {
            return Attribute.isTemplateType(type) ? AttributeReading.ofTemplate(type, List.of())
                    : AttributeReading.of(type, new byte[0]);
        }
        return a.template() != null ? AttributeReading.ofTemplate(type, a.template()) : AttributeReading.of(type, a.value().clone());
    }

    static boolean revealable(HsmObject object) {
        return !object.flag(SENSITIVE) && object.flag(EXTRACTABLE);
    }

    /** C_SetAttributeValue: the object's new attribute set, or the CK_RV the first forbidden change earns. Nothing is half-applied. */
    public static Map<Long, Attribute> forSet(HsmObject object, List<Attribute> template, ObjectFactory.Creator changer) {
        if (!object.flag(MODIFIABLE)) {
            throw new CkException(CKR.ACTION_PROHIBITED, "CKA_MODIFIABLE is false");
        }
        Map<Long, Attribute> t = Templates.byType(template);
        Map<Long, Attribute> changed = new LinkedHashMap<>(object.attributes());
        for (Attribute a : t.values()) {
            if (!AttributeRules.applies(object.objectClassOrUnknown(), object.keyTypeOrUnknown(), a.type())) {
                throw new CkException(CKR.ATTRIBUTE_TYPE_INVALID, CKA.name(a.type()) + " does not belong to this object");
            }
            checkChange(object, a, changer);
            changed.put(a.type(), a);
        }
        return changed;
    }

    /**
     * The one-way attributes of PKCS#11: CKA_SENSITIVE only turns on, CKA_EXTRACTABLE and CKA_COPYABLE only
     * off, CKA_WRAP_WITH_TRUSTED only on. Under the strict key policy the cipher roles (CKA_ENCRYPT,
     * CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP) only turn off too: turning one on after the key was used in another
     * role is how wrap-then-decrypt attacks read keys out of a token (Tookan, Bortolozzo et al. 2010).
     * PKCS#11 and CloudHSM's modifiable-attribute list let them change both ways, so the default does.
     */
    static void checkChange(HsmObject object, Attribute a, ObjectFactory.Creator changer) {
        long type = a.type();
        if (AttributeRules.FIXED_AFTER_CREATION.contains(type)) {
            throw new CkException(CKR.ATTRIBUTE_READ_ONLY, CKA.name(type) + " cannot change");
        }
        boolean now = object.flag(type);
        if (type == SENSITIVE && now && !a.asBoolean()
                || type == EXTRACTABLE && !now && a.asBoolean()
                || type == COPYABLE && !now && a.asBoolean()
                || type == WRAP_WITH_TRUSTED && now && !a.asBoolean()
                || changer.keyPolicy().strict() && ROLES.contains(type) && !now && a.asBoolean()) {
            throw new CkException(CKR.ATTRIBUTE_READ_ONLY, CKA.name(type) + " may only change in the safe direction");
        }
        if (type == TRUSTED && !changer.cryptoOfficer()) {
            throw new CkException(CKR.ATTRIBUTE_READ_ONLY, "only the crypto officer may set CKA_TRUSTED");
        }
    }

    /** C_FindObjects: every template attribute equal. A secret component never matches, so a search cannot test guesses of a key. */
    public static boolean matches(HsmObject object, Map<Long, Attribute> template) {
        long cls = object.objectClassOrUnknown();
        for (Attribute wanted : template.values()) {
            if (AttributeRules.isSecretComponent(cls, wanted.type()) && !revealable(object)) {
                return false;
            }
            if (!Templates.sameValue(object.attributes().get(wanted.type()), wanted)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The find template by type, or null when it contradicts itself (one type, two values) and so
     * matches nothing. Values are compared as bytes: a malformed one simply matches no object.
     */
    public static Map<Long, Attribute> findTemplate(List<Attribute> template) {
        Map<Long, Attribute> map = new LinkedHashMap<>();
        for (Attribute a : template == null ? List.<Attribute>of() : template) {
            Attribute normal = a.template() != null || a.value() != null ? a : Attribute.of(a.type(), new byte[0]);
            Attribute earlier = map.put(a.type(), normal);
            if (earlier != null && !earlier.equals(normal)) {
                return null;
            }
        }
        return map;
    }
}
