package io.jhsm.engine.function;

import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.mechanism.kdf.DerivedKeyTemplateException;
import io.jhsm.engine.mechanism.KeyLookup;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.registry.MechanismRegistry;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.object.Derivation;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.object.ObjectFactory;
import io.jhsm.engine.object.ObjectFactory.Origin;
import io.jhsm.engine.session.Session;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Ck;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.DerivedKey;
import io.jhsm.pkcs11.Mechanism;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The object side of C_DeriveKey once the base key passed its checks: the call's own key plus any
 * additional derived keys the mechanism parameter asks for (PKCS#11 3.0 §2.42.7). All of them are
 * made or none: every template and object rule is checked before the first object exists, a store
 * failure part-way removes the objects already added, and the CK_DERIVED_KEY handles are handed
 * out only at the end — or CK_INVALID_HANDLE to the key whose template caused the failure.
 */
final class DerivedKeyObjects {
    /** CloudHSM: users a key is shared with "cannot delete, export, share, unshare, derive, or wrap the key". */
    static final String DERIVE_FROM = "derive from";

    private DerivedKeyObjects() {}

    /** The new keys' handles, the call's own first. */
    static long[] derive(Session s, MechanismEntry e, Mechanism mechanism, HsmObject base, List<Attribute> template,
                         MechanismRegistry mechanisms) {
        List<DerivedKey> extra = mechanism.params() == null ? List.of() : mechanism.params().additionalDerivedKeys();
        try {
            List<List<Attribute>> templates = new ArrayList<>(extra.size() + 1);
            templates.add(fullTemplate(template, base));
            for (int k = 0; k < extra.size(); k++) {
                List<Attribute> t = extra.get(k).template();
                templates.add(blaming(k + 1, () -> fullTemplate(t, base)));
            }
            List<TemplateView> views = templates.stream().map(TemplateView::new).toList();
            List<HsmObject> sources = new ArrayList<>(List.of(base));
            List<List<Attribute>> material = e.impl().deriveKeys(mechanism, base, views.get(0), views.subList(1, views.size()),
                    lookup(s, sources));
            Derivation from = new Derivation(sources, e.impl().copiesKeyBytes());
            List<Map<Long, Attribute>> objects = new ArrayList<>(templates.size());
            for (int k = 0; k < templates.size(); k++) {
                List<Attribute> keyMaterial = material.get(k);
                List<Attribute> keyTemplate = templates.get(k);
                objects.add(blaming(k, () -> {
                    Map<Long, Attribute> attributes = ObjectFactory.forNewKey(CKO.SECRET_KEY, keyMaterial, keyTemplate,
                            mechanism.type(), ObjectCalls.creator(s), Origin.DERIVED, from);
                    ObjectCalls.requireOfferedKeyType(mechanisms, attributes, CKR.TEMPLATE_INCONSISTENT);
                    ObjectCalls.checkMayHold(s, attributes);
                    return attributes;
                }));
            }
            long[] handles = addAll(s, objects);
            for (int k = 0; k < extra.size(); k++) {
                extra.get(k).phKey().accept(handles[k + 1]);
            }
            return handles;
        } catch (DerivedKeyTemplateException f) {
            if (f.index() > 0) {
                extra.get(f.index() - 1).phKey().accept(Ck.INVALID_HANDLE);
            }
            throw f;
        }
    }

    /** The caller's template plus the base key's CKA_DERIVE_TEMPLATE; derivation makes secret keys only. */
    private static List<Attribute> fullTemplate(List<Attribute> template, HsmObject base) {
        List<Attribute> full = WrapAndDeriveCalls.withRequired(template, base.attributes().get(CKA.DERIVE_TEMPLATE));
        for (Attribute a : full) {
            if (a.type() == CKA.CLASS && a.asLong() != CKO.SECRET_KEY) {
                throw new CkException(CKR.TEMPLATE_INCONSISTENT, "derivation makes secret keys");
            }
        }
        return full;
    }

    private static <T> T blaming(int index, Supplier<T> step) {
        try {
            return step.get();
        } catch (DerivedKeyTemplateException already) {
            throw already;
        } catch (CkException failure) {
            throw new DerivedKeyTemplateException(index, failure);
        }
    }

    /** Adds every object, or — when the store fails part-way — removes those already added and rethrows. */
    private static long[] addAll(Session s, List<Map<Long, Attribute>> objects) {
        List<HsmObject> added = new ArrayList<>(objects.size());
        try {
            for (Map<Long, Attribute> attributes : objects) {
                added.add(s.token().addObject(attributes, s.handle()));
            }
        } catch (RuntimeException failure) {
            for (HsmObject o : added) {
                s.token().removeObject(o);
            }
            throw failure;
        }
        return added.stream().mapToLong(HsmObject::handle).toArray();
    }

    /**
     * Key handles inside the mechanism parameter resolve over the calling session, like the base key, and
     * face the same ownership rule: a key the caller may only use (shared with it) cannot feed a key the
     * caller would own. Each key found joins {@code sources}, whose protection the new key inherits.
     */
    private static KeyLookup lookup(Session s, List<HsmObject> sources) {
        return handle -> {
            HsmObject key = s.token().visibleKey(handle, CKR.KEY_HANDLE_INVALID);
            KeyPolicy.requireOwner(key, s.token().login(), DERIVE_FROM);
            sources.add(key);
            return key;
        };
    }
}
