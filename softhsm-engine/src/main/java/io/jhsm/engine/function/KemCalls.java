package io.jhsm.engine.function;

import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.mechanism.Encapsulated;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.object.ObjectFactory;
import io.jhsm.engine.object.ObjectFactory.Origin;
import io.jhsm.engine.session.Session;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Encapsulation;
import io.jhsm.pkcs11.Mechanism;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * C_EncapsulateKey and C_DecapsulateKey (PKCS#11 3.2). The new secret key is made as C_DeriveKey makes
 * one (type and length from the template), but carries the history the specification gives KEM
 * keys: CKA_LOCAL, CKA_ALWAYS_SENSITIVE and CKA_NEVER_EXTRACTABLE false, CKA_EXTRACTABLE true unless
 * the template says otherwise. A failure creates no key; a length query or too small a buffer
 * creates none either, so the two-call protocol never leaves an orphan key behind.
 */
public final class KemCalls {
    private final ModuleState m;
    private final EncryptDigestSignCalls crypto;

    KemCalls(ModuleState m, EncryptDigestSignCalls crypto) {
        this.m = m;
        this.crypto = crypto;
    }

    public Encapsulation encapsulate(long hSession, Mechanism mechanism, long hPublicKey, List<Attribute> template, byte[] out) {
        Session s = m.sessionFor(hSession, "C_EncapsulateKey");
        ObjectCalls.requireTemplate(template);
        MechanismEntry e = crypto.entry(s.token(), mechanism, CKF.ENCAPSULATE);
        KeyPolicy.requireKeyUser(s.token());
        HsmObject key = s.token().visibleKey(hPublicKey, CKR.KEY_HANDLE_INVALID);
        requireUsage(key, CKA.ENCAPSULATE, CKR.KEY_TYPE_INCONSISTENT);
        EncryptDigestSignCalls.checkAllowed(key, mechanism.type());
        int length = e.impl().ciphertextLength(mechanism, key);
        if (out == null) {
            return new Encapsulation(length, 0);
        }
        if (out.length < length) {
            throw new BufferTooSmallException(length);
        }
        List<Attribute> full = secretKeyTemplate(WrapAndDeriveCalls.withRequired(template, key.attributes().get(CKA.ENCAPSULATE_TEMPLATE)));
        Encapsulated result = e.impl().encapsulate(mechanism, key, new TemplateView(full));
        long handle = store(s, mechanism, result.key(), full);
        System.arraycopy(result.ciphertext(), 0, out, 0, result.ciphertext().length);
        return new Encapsulation(result.ciphertext().length, handle);
    }

    public long decapsulate(long hSession, Mechanism mechanism, long hPrivateKey, List<Attribute> template, byte[] ciphertext) {
        Session s = m.sessionFor(hSession, "C_DecapsulateKey");
        ObjectCalls.requireTemplate(template);
        if (ciphertext == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no ciphertext");
        }
        MechanismEntry e = crypto.entry(s.token(), mechanism, CKF.DECAPSULATE);
        KeyPolicy.requireKeyUser(s.token());
        HsmObject key = s.token().visibleKey(hPrivateKey, CKR.UNWRAPPING_KEY_HANDLE_INVALID);
        requireUsage(key, CKA.DECAPSULATE, CKR.UNWRAPPING_KEY_TYPE_INCONSISTENT);
        EncryptDigestSignCalls.checkAllowed(key, mechanism.type());
        List<Attribute> full = secretKeyTemplate(WrapAndDeriveCalls.withRequired(template, key.attributes().get(CKA.DECAPSULATE_TEMPLATE)));
        List<Attribute> material;
        try {
            material = e.impl().decapsulate(mechanism, key, ciphertext, new TemplateView(full));
        } catch (CkException ex) {
            // C_DecapsulateKey names the private key as C_UnwrapKey names its key.
            if (ex.rv() == CKR.KEY_TYPE_INCONSISTENT) {
                throw new CkException(CKR.UNWRAPPING_KEY_TYPE_INCONSISTENT, ex.getMessage());
            }
            throw ex;
        }
        return store(s, mechanism, material, full);
    }

    private long store(Session s, Mechanism mechanism, List<Attribute> material, List<Attribute> template) {
        Map<Long, Attribute> attributes = ObjectFactory.forNewKey(CKO.SECRET_KEY, material, template, mechanism.type(),
                ObjectCalls.creator(s), Origin.IMPORTED, null);
        ObjectCalls.requireOfferedKeyType(m.mechanisms, attributes, CKR.TEMPLATE_INCONSISTENT);
        ObjectCalls.checkMayHold(s, attributes);
        return s.token().addObject(attributes, s.handle()).handle();
    }

    /** The caller's template, checked to make a secret key, with CKA_EXTRACTABLE true unless it says otherwise. */
    private static List<Attribute> secretKeyTemplate(List<Attribute> template) {
        boolean extractableGiven = false;
        for (Attribute a : template) {
            if (a.type() == CKA.CLASS && a.asLong() != CKO.SECRET_KEY) {
                throw new CkException(CKR.TEMPLATE_INCONSISTENT, "encapsulation makes secret keys");
            }
            extractableGiven |= a.type() == CKA.EXTRACTABLE;
        }
        List<Attribute> full = new ArrayList<>(template);
        if (!extractableGiven) {
            full.add(Attribute.of(CKA.EXTRACTABLE, true));
        }
        return full;
    }

    /** A key without the attribute at all is no KEM key (the type error); one with it false may not do this. */
    private static void requireUsage(HsmObject key, long usage, long rvNotKem) {
        if (key.attribute(usage) == null) {
            throw new CkException(rvNotKem, "not a KEM key");
        }
        if (!key.flag(usage)) {
            throw new CkException(CKR.KEY_FUNCTION_NOT_PERMITTED, CKA.name(usage) + " is false");
        }
    }
}
