package io.jhsm.engine.cloudhsm;

import static io.jhsm.pkcs11.CKA.*;

import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.token.LoginState;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CloudHSM's key ownership model. The crypto user who creates a key owns it; the owner may share it
 * with other crypto users, who may then use it and nothing more. Only the owner changes, shares,
 * exports or deletes it. Public keys are usable by every crypto user. The admin (crypto officer)
 * manages users and may mark keys trusted, but never creates or uses keys.
 *
 * <p>Objects with no owner (made in a public session, before any of this existed) keep the plain
 * PKCS#11 rule, so SoftHSM-style tokens behave as before.
 */
public final class KeyPolicy {
    private KeyPolicy() {}

    /** What CloudHSM lets change after creation (its PKCS#11 "modifiable attributes" list); CKA_ID is kept for keystores. */
    private static final Set<Long> MODIFIABLE_KEY_ATTRIBUTES = Set.of(LABEL, ID, ENCRYPT, DECRYPT, SIGN, VERIFY, WRAP,
            UNWRAP, SENSITIVE, DERIVE, TRUSTED, WRAP_WITH_TRUSTED, EXTRACTABLE);

    /** Whether the current login may see the object at all: by handle, by search, by attribute. */
    public static boolean visible(HsmObject o, LoginState login) {
        boolean pkcs11 = !o.isPrivate() || login != null && login.isUser();
        if (!pkcs11) {
            return false;
        }
        // A PKCS#11 public object (CKA_PRIVATE false) is visible to every session, as the standard says;
        // ownership decides who sees private objects, CloudHSM's default for keys.
        String owner = o.owner();
        if (owner.isEmpty() || !o.isPrivate() || o.objectClassOrUnknown() == CKO.PUBLIC_KEY) {
            return true;
        }
        return login != null && login.isUser() && (owner.equals(login.user()) || sharedWith(o).contains(login.user()));
    }

    /**
     * Refuses an owner-only action (change, share, export, delete, copy) on a key by anyone but its
     * owner. Ownership is CloudHSM's key model: data objects and certificates keep PKCS#11's rules
     * (any R/W session that sees a public object may change or destroy it).
     */
    public static void requireOwner(HsmObject o, LoginState login, String action) {
        String owner = o.owner();
        if (owner.isEmpty() || !isKey(o)) {
            return;
        }
        if (login == null || !owner.equals(login.user())) {
            throw new CkException(CKR.ACTION_PROHIBITED, "only the key's owner " + owner + " may " + action + " it");
        }
    }

    /** On a CloudHSM cluster the admin cannot create or use keys: CloudHSM's PKCS#11 library serves crypto users only. */
    public static void requireKeyUser(io.jhsm.engine.token.Token token) {
        LoginState login = token.login();
        // A plain PKCS#11 token (C_InitToken) keeps the standard: its SO may use public key objects.
        if (token.cluster() && login != null && login.isOfficer()) {
            throw new CkException(CKR.USER_NOT_LOGGED_IN, "the admin (crypto officer) cannot create or use keys");
        }
    }

    /**
     * Refuses changes to attributes CloudHSM keeps read-only after a key's creation. Only a CloudHSM cluster
     * narrows PKCS#11 so: on a plain token (C_InitToken) CKA_SUBJECT, CKA_START_DATE and the other attributes
     * the base specification lets change stay changeable, as applications such as pkcs11-tool expect.
     */
    public static void checkModifiable(io.jhsm.engine.token.Token token, HsmObject o, List<Attribute> template) {
        if (!isKey(o)) {
            return;
        }
        for (Attribute a : template) {
            if (a.type() == JhsmAttributes.MANAGE_QUORUM || a.type() == JhsmAttributes.USE_QUORUM) {
                checkQuorumValue(o, a);
                continue;
            }
            if (token.cluster() && !MODIFIABLE_KEY_ATTRIBUTES.contains(a.type()) && a.type() != JhsmAttributes.SHARED_WITH) {
                throw new CkException(CKR.ATTRIBUTE_READ_ONLY, CKA.name(a.type()) + " cannot change after the key is created");
            }
        }
    }

    /**
     * A key's quorum value only rises (a change in the safe direction, like CKA_SENSITIVE), to at most
     * the number of users the key is associated with (owner and shares), as CloudHSM requires.
     */
    private static void checkQuorumValue(HsmObject o, Attribute a) {
        long now = o.ulongOr(a.type(), 0);
        long wanted = a.asLong();
        if (wanted < now) {
            throw new CkException(CKR.ATTRIBUTE_READ_ONLY, "a key's quorum value only rises");
        }
        if (wanted > 8 || wanted > associatedUsers(o).size()) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "a key's quorum value is at most 8 and at most the "
                    + associatedUsers(o).size() + " users it is associated with");
        }
    }

    public static Set<String> sharedWith(HsmObject o) {
        return decode(o.attribute(JhsmAttributes.SHARED_WITH));
    }

    public static Set<String> decode(byte[] encoded) {
        Set<String> names = new LinkedHashSet<>();
        if (encoded == null || encoded.length == 0) {
            return names;
        }
        for (String n : new String(encoded, StandardCharsets.UTF_8).split("\n")) {
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        return names;
    }

    public static byte[] encode(Set<String> names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append(n).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The users a key is associated with (owner first, then those it is shared with): the N of its quorum. */
    public static List<String> associatedUsers(HsmObject o) {
        List<String> users = new ArrayList<>();
        users.add(o.owner());
        users.addAll(sharedWith(o));
        return users;
    }

    public static boolean isKey(HsmObject o) {
        long c = o.objectClassOrUnknown();
        return c == CKO.PUBLIC_KEY || c == CKO.PRIVATE_KEY || c == CKO.SECRET_KEY;
    }

    public static boolean isKeyClass(long c) {
        return c == CKO.PUBLIC_KEY || c == CKO.PRIVATE_KEY || c == CKO.SECRET_KEY;
    }

    static boolean isSecretOrPrivateKey(HsmObject o) {
        long c = o.objectClassOrUnknown();
        return c == CKO.PRIVATE_KEY || c == CKO.SECRET_KEY;
    }
}
