package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.store.UserRecord;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changing whom a key is shared with. Through PKCS#11 the owner writes the whole list into
 * {@link JhsmAttributes#SHARED_WITH}; the CLI's {@code key share}/{@code key unshare} add or remove
 * one name. Either way every name must be an existing crypto user other than the owner.
 */
public final class KeySharing {
    private KeySharing() {}

    /** The template without the share list, for the ordinary attribute rules. */
    public static List<Attribute> withoutShares(List<Attribute> template) {
        List<Attribute> rest = new ArrayList<>(template);
        rest.removeIf(a -> a.type() == JhsmAttributes.SHARED_WITH);
        return rest;
    }

    /** Whether the template changes the share list. */
    public static boolean changesShares(List<Attribute> template) {
        return template.stream().anyMatch(a -> a.type() == JhsmAttributes.SHARED_WITH);
    }

    /** Puts the template's share list, checked, into the object's new attribute set. */
    public static void apply(HsmObject key, List<Attribute> template, List<UserRecord> users,
                             Map<Long, Attribute> changed) {
        for (Attribute a : template) {
            if (a.type() == JhsmAttributes.SHARED_WITH) {
                Set<String> names = KeyPolicy.decode(a.value());
                check(key, names, users);
                changed.put(a.type(), Attribute.of(a.type(), KeyPolicy.encode(names)));
            }
        }
    }

    /** The share list after adding ({@code share}) or removing one user. */
    public static Attribute changed(HsmObject key, String user, boolean share, List<UserRecord> users) {
        Set<String> names = new LinkedHashSet<>(KeyPolicy.sharedWith(key));
        if (share) {
            if (!names.add(user)) {
                throw new CkException(CKR.ARGUMENTS_BAD, "the key is already shared with " + user);
            }
            check(key, names, users);
        } else if (!names.remove(user)) {
            throw new CkException(CKR.ARGUMENTS_BAD, "the key is not shared with " + user);
        }
        return Attribute.of(JhsmAttributes.SHARED_WITH, KeyPolicy.encode(names));
    }

    private static void check(HsmObject key, Set<String> names, List<UserRecord> users) {
        if (!KeyPolicy.isKey(key) || key.owner().isEmpty()) {
            throw new CkException(CKR.ATTRIBUTE_READ_ONLY, "only keys with an owner can be shared");
        }
        for (String n : names) {
            if (n.equals(key.owner())) {
                throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, n + " owns the key: it cannot be shared with its owner");
            }
            boolean cryptoUser = users.stream().anyMatch(u -> u.name().equals(n) && u.role() == CKU.USER);
            if (!cryptoUser) {
                throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, n + " is not a crypto user");
            }
        }
    }
}
