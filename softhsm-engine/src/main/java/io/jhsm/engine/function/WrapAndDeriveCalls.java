package io.jhsm.engine.function;

import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.cloudhsm.Quorum;
import io.jhsm.engine.cloudhsm.QuorumGrants;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.object.ObjectFactory;
import io.jhsm.engine.object.ObjectFactory.Origin;
import io.jhsm.engine.profile.CloudHsmGcm;
import io.jhsm.engine.session.Session;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * C_WrapKey, C_UnwrapKey and C_DeriveKey, with the specification's checks and jhsm's defence
 * against key-extraction attacks (see {@link WrapPolicy}).
 */
public final class WrapAndDeriveCalls {
    private final ModuleState m;
    private final EncryptDigestSignCalls crypto;

    WrapAndDeriveCalls(ModuleState m, EncryptDigestSignCalls crypto) {
        this.m = m;
        this.crypto = crypto;
    }

    public int wrap(long hSession, Mechanism mechanism, long hWrappingKey, long hKey, byte[] out) {
        return wrap(hSession, mechanism, hWrappingKey, hKey, null, out);
    }

    /**
     * C_WrapKey, or C_WrapKeyAuthenticated when {@code associatedData} is not null: every check is the
     * same; only the AEAD's associated data differs ({@link AuthenticatedWrapping}).
     */
    public int wrap(long hSession, Mechanism mechanism, long hWrappingKey, long hKey, byte[] associatedData, byte[] out) {
        Session s = associatedData == null ? m.session(hSession) : m.sessionFor(hSession, "C_WrapKeyAuthenticated");
        KeyPolicy.requireKeyUser(s.token());
        HsmObject wrapping = s.token().visibleKey(hWrappingKey, CKR.WRAPPING_KEY_HANDLE_INVALID);
        HsmObject key = s.token().visibleKey(hKey, CKR.KEY_HANDLE_INVALID);
        // Ownership first: a shared user learns nothing about the mechanisms from a refused export.
        KeyPolicy.requireOwner(key, s.token().login(), "export (wrap)");
        QuorumGrants.require(key, Quorum.SERVICE_KEY_MANAGEMENT);
        MechanismEntry e = crypto.entry(s.token(), mechanism, CKF.WRAP);
        requireFlag(wrapping, CKA.WRAP);
        EncryptDigestSignCalls.checkAllowed(wrapping, mechanism.type());
        WrapPolicy.checkWrap(wrapping, key, s.token().keyPolicy(), () -> s.token().allObjects());
        Mechanism used = AuthenticatedWrapping.withAssociatedData(mechanism, associatedData);
        byte[] blob = CloudHsmGcm.wrap(s.token(), used, out, m -> e.impl().wrap(m, wrapping, WrapPolicy.encoding(key)));
        if (out != null && out.length < blob.length) {
            throw new BufferTooSmallException(blob.length);
        }
        if (out != null) {
            System.arraycopy(blob, 0, out, 0, blob.length);
        }
        return blob.length;
    }

    public long unwrap(long hSession, Mechanism mechanism, long hUnwrappingKey, byte[] wrapped, List<Attribute> template) {
        return unwrap(hSession, mechanism, hUnwrappingKey, wrapped, template, null);
    }

    /** C_UnwrapKey, or C_UnwrapKeyAuthenticated when {@code associatedData} is not null; a failed tag creates nothing. */
    public long unwrap(long hSession, Mechanism mechanism, long hUnwrappingKey, byte[] wrapped, List<Attribute> template,
                byte[] associatedData) {
        Session s = associatedData == null ? m.session(hSession) : m.sessionFor(hSession, "C_UnwrapKeyAuthenticated");
        if (wrapped == null || template == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no wrapped key or template");
        }
        MechanismEntry e = crypto.entry(s.token(), mechanism, CKF.UNWRAP);
        KeyPolicy.requireKeyUser(s.token());
        HsmObject unwrapping = s.token().visibleKey(hUnwrappingKey, CKR.UNWRAPPING_KEY_HANDLE_INVALID);
        requireFlag(unwrapping, CKA.UNWRAP);
        QuorumGrants.require(unwrapping, Quorum.SERVICE_KEY_MANAGEMENT);
        EncryptDigestSignCalls.checkAllowed(unwrapping, mechanism.type());
        WrapPolicy.checkUnwrap(unwrapping, s.token().keyPolicy());
        List<Attribute> full = withRequired(template, unwrapping.attributes().get(CKA.UNWRAP_TEMPLATE));
        long cls = classOf(full, -1);
        Mechanism used = AuthenticatedWrapping.withAssociatedData(mechanism, associatedData);
        byte[] encoding = e.impl().unwrap(used, unwrapping, wrapped);
        List<Attribute> material = WrapPolicy.material(cls, encoding, new TemplateView(full));
        Map<Long, Attribute> attributes = ObjectFactory.forNewKey(cls, material, full, mechanism.type(),
                ObjectCalls.creator(s), Origin.IMPORTED, null);
        ObjectCalls.requireOfferedKeyType(m.mechanisms, attributes, CKR.TEMPLATE_INCONSISTENT);
        ObjectCalls.checkMayHold(s, attributes);
        return s.token().addObject(attributes, s.handle()).handle();
    }

    /** The handles of the keys made: the call's own first, then the additional derived keys. */
    public long[] derive(long hSession, Mechanism mechanism, long hBaseKey, List<Attribute> template) {
        Session s = m.session(hSession);
        ObjectCalls.requireTemplate(template);
        MechanismEntry e = crypto.entry(s.token(), mechanism, CKF.DERIVE);
        KeyPolicy.requireKeyUser(s.token());
        HsmObject base = s.token().visibleObject(hBaseKey);
        if (base == null) {
            throw new CkException(CKR.KEY_HANDLE_INVALID, "no key " + hBaseKey);
        }
        KeyPolicy.requireOwner(base, s.token().login(), DerivedKeyObjects.DERIVE_FROM);
        // CKM_HKDF_DATA derives from a data object, which has no CKA_DERIVE; keys must have it.
        if (base.objectClassOrUnknown() != CKO.DATA) {
            requireFlag(base, CKA.DERIVE);
        }
        EncryptDigestSignCalls.checkAllowed(base, mechanism.type());
        return DerivedKeyObjects.derive(s, e, mechanism, base, template, m.mechanisms);
    }

    private static void requireFlag(HsmObject key, long usage) {
        if (!key.flag(usage)) {
            throw new CkException(CKR.KEY_FUNCTION_NOT_PERMITTED, CKA.name(usage) + " is false");
        }
    }

    private static long classOf(List<Attribute> template, long otherwise) {
        for (Attribute a : template) {
            if (a.type() == CKA.CLASS) {
                return a.asLong();
            }
        }
        if (otherwise < 0) {
            throw new CkException(CKR.TEMPLATE_INCOMPLETE, "CKA_CLASS is required");
        }
        return otherwise;
    }

    /** The caller's template plus a key's CKA_UNWRAP/DERIVE/ENCAPSULATE/DECAPSULATE_TEMPLATE, which the new key must satisfy. */
    static List<Attribute> withRequired(List<Attribute> template, Attribute required) {
        List<Attribute> full = new ArrayList<>(template);
        if (required == null || required.template() == null) {
            return full;
        }
        for (Attribute r : required.template()) {
            for (Attribute given : template) {
                if (given.type() == r.type() && !given.equals(r)) {
                    throw new CkException(CKR.TEMPLATE_INCONSISTENT, CKA.name(r.type()) + " contradicts the key's required template");
                }
            }
            full.add(r);
        }
        return full;
    }
}
