package io.jhsm.engine.function;

import io.jhsm.engine.config.Config;
import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.cloudhsm.KeySharing;
import io.jhsm.engine.cloudhsm.Quorum;
import io.jhsm.engine.cloudhsm.QuorumGrants;
import io.jhsm.engine.mechanism.registry.MechanismRegistry;
import io.jhsm.engine.mechanism.pqc.PqcKeys;
import io.jhsm.engine.object.AttributeAccess;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.object.ObjectFactory;
import io.jhsm.engine.object.KeyTemplateRules;
import io.jhsm.engine.object.ObjectFactory.Creator;
import io.jhsm.engine.profile.CloudHsmKeyRules;
import io.jhsm.engine.session.FindOperation;
import io.jhsm.engine.session.OperationKind;
import io.jhsm.engine.session.Session;
import io.jhsm.engine.token.LoginState;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Object functions: create, copy, destroy, attributes, find. */
public final class ObjectCalls {
    private final ModuleState m;

    ObjectCalls(ModuleState m) {
        this.m = m;
    }

    static Creator creator(Session s) {
        LoginState login = s.token().login();
        return new Creator(login == null ? "" : login.user(), login != null && login.isOfficer(), s.token().keyPolicy(),
                s.token().cloudHsmProfile() ? CloudHsmKeyRules.RULES : KeyTemplateRules.SPECIFICATION);
    }

    /** The rules for holding a new or changed object: a token object needs a R/W session, a private one a logged-in user. */
    static void checkMayHold(Session s, Map<Long, Attribute> attributes) {
        if (attributes.get(CKA.TOKEN).asBoolean() && !s.readWrite()) {
            throw new CkException(CKR.SESSION_READ_ONLY, "token objects need a read/write session");
        }
        LoginState login = s.token().login();
        if (KeyPolicy.isKeyClass(attributes.get(CKA.CLASS).asLong())) {
            KeyPolicy.requireKeyUser(s.token());
        }
        if (attributes.get(CKA.PRIVATE).asBoolean() && (login == null || !login.isUser())) {
            throw new CkException(CKR.USER_NOT_LOGGED_IN, "private objects need a logged-in user");
        }
    }

    /**
     * A key type that only the withheld legacy mechanisms use (CKK_DES without {@code legacy-algorithms = true})
     * is refused as the token refuses any type it does not know, with the caller's CK_RV for that.
     */
    static void requireOfferedKeyType(MechanismRegistry mechanisms, Map<Long, Attribute> attributes, long rv) {
        Attribute keyType = attributes.get(CKA.KEY_TYPE);
        if (keyType != null && !mechanisms.offersKeyType(keyType.asLong())) {
            throw new CkException(rv, CKK.name(keyType.asLong()) + " keys need legacy-algorithms = true in " + Config.ENV);
        }
    }

    static HsmObject object(Session s, long handle) {
        HsmObject o = s.token().visibleObject(handle);
        if (o == null) {
            throw new CkException(CKR.OBJECT_HANDLE_INVALID, "no object " + handle);
        }
        return o;
    }

    public long create(long hSession, List<Attribute> template) {
        Session s = m.session(hSession);
        requireTemplate(template);
        Map<Long, Attribute> attributes = ObjectFactory.forCreate(template, creator(s));
        requireOfferedKeyType(m.mechanisms, attributes, CKR.ATTRIBUTE_VALUE_INVALID);
        PqcKeys.completeImport(attributes);
        checkMayHold(s, attributes);
        return s.token().addObject(attributes, s.handle()).handle();
    }

    public long copy(long hSession, long hObject, List<Attribute> template) {
        Session s = m.sessionFor(hSession, "C_CopyObject");
        HsmObject source = object(s, hObject);
        KeyPolicy.requireOwner(source, s.token().login(), "copy");
        if (!source.flag(CKA.COPYABLE)) {
            throw new CkException(CKR.ACTION_PROHIBITED, "CKA_COPYABLE is false");
        }
        Map<Long, Attribute> attributes = ObjectFactory.forCopy(source, template, creator(s));
        checkMayHold(s, attributes);
        return s.token().addObject(attributes, s.handle()).handle();
    }

    public void destroy(long hSession, long hObject) {
        Session s = m.session(hSession);
        HsmObject o = object(s, hObject);
        if (o.isTokenObject() && !s.readWrite()) {
            throw new CkException(CKR.SESSION_READ_ONLY);
        }
        KeyPolicy.requireOwner(o, s.token().login(), "delete");
        if (!o.flag(CKA.DESTROYABLE)) {
            throw new CkException(CKR.ACTION_PROHIBITED, "CKA_DESTROYABLE is false");
        }
        s.token().removeObject(o);
    }

    public long size(long hSession, long hObject) {
        HsmObject o = object(m.sessionFor(hSession, "C_GetObjectSize"), hObject);
        long size = 0;
        for (Attribute a : o.attributes().values()) {
            size += 16 + (a.value() == null ? 24L * a.template().size() : a.value().length);
        }
        return size;
    }

    public List<AttributeReading> getAttributes(long hSession, long hObject, long[] types) {
        Session s = m.session(hSession);
        if (types == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no template");
        }
        HsmObject o = object(s, hObject);
        List<AttributeReading> out = new ArrayList<>(types.length);
        for (long type : types) {
            out.add(AttributeAccess.read(o, type));
        }
        return out;
    }

    public void setAttributes(long hSession, long hObject, List<Attribute> template) {
        Session s = m.sessionFor(hSession, "C_SetAttributeValue");
        requireTemplate(template);
        HsmObject o = object(s, hObject);
        if (o.isTokenObject() && !s.readWrite()) {
            throw new CkException(CKR.SESSION_READ_ONLY);
        }
        LoginState login = s.token().login();
        boolean officerTrusts = login != null && login.isOfficer()
                && template.stream().allMatch(a -> a.type() == CKA.TRUSTED);
        if (!officerTrusts) {
            KeyPolicy.requireOwner(o, login, "change");
            QuorumGrants.require(o, Quorum.SERVICE_KEY_MANAGEMENT);
        }
        KeyPolicy.checkModifiable(s.token(), o, template);
        Map<Long, Attribute> changed = AttributeAccess.forSet(o, KeySharing.withoutShares(template), creator(s));
        KeySharing.apply(o, template, s.token().users(), changed);
        s.token().replaceObject(o, changed);
    }

    public void findInit(long hSession, List<Attribute> template) {
        Session s = m.session(hSession);
        Map<Long, Attribute> wanted = AttributeAccess.findTemplate(template);
        synchronized (s) {
            s.begin(OperationKind.FIND, () -> {
                List<HsmObject> candidates = s.token().visibleObjects();
                long[] found = candidates.stream()
                        .filter(o -> wanted != null && AttributeAccess.matches(o, wanted))
                        .mapToLong(HsmObject::handle).sorted().toArray();
                return new FindOperation(found);
            });
        }
    }

    public long[] find(long hSession, int max) {
        Session s = m.session(hSession);
        if (max < 0) {
            throw new CkException(CKR.ARGUMENTS_BAD, "negative count");
        }
        synchronized (s) {
            return s.<FindOperation>active(OperationKind.FIND).operation().take(max);
        }
    }

    public void findFinal(long hSession) {
        Session s = m.session(hSession);
        synchronized (s) {
            s.active(OperationKind.FIND).end();
        }
    }

    /** A NULL template (with a count) is CKR_ARGUMENTS_BAD in every function that takes one. */
    static void requireTemplate(List<Attribute> template) {
        if (template == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no template");
        }
    }
}
