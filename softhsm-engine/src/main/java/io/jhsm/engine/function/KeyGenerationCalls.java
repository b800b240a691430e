package io.jhsm.engine.function;

import io.jhsm.engine.mechanism.GeneratedKeyPair;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.object.ObjectFactory;
import io.jhsm.engine.object.ObjectFactory.Creator;
import io.jhsm.engine.session.Session;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import java.util.List;
import java.util.Map;

/** Key generation: the mechanism makes the material, the object factory the object, and nothing is half-created. */
public final class KeyGenerationCalls {
    private final ModuleState m;
    private final EncryptDigestSignCalls crypto;

    KeyGenerationCalls(ModuleState m, EncryptDigestSignCalls crypto) {
        this.m = m;
        this.crypto = crypto;
    }

    public long generateKey(long hSession, Mechanism mechanism, List<Attribute> template) {
        Session s = m.session(hSession);
        ObjectCalls.requireTemplate(template);
        MechanismEntry e = crypto.entry(s.token(), mechanism, CKF.GENERATE);
        List<Attribute> material = e.impl().generateKey(mechanism, new TemplateView(template));
        Map<Long, Attribute> attributes = ObjectFactory.forGenerated(CKO.SECRET_KEY, material, template,
                mechanism.type(), ObjectCalls.creator(s));
        ObjectCalls.checkMayHold(s, attributes);
        return s.token().addObject(attributes, s.handle()).handle();
    }

    public long[] generateKeyPair(long hSession, Mechanism mechanism, List<Attribute> publicTemplate,
                           List<Attribute> privateTemplate) {
        Session s = m.session(hSession);
        ObjectCalls.requireTemplate(publicTemplate);
        ObjectCalls.requireTemplate(privateTemplate);
        MechanismEntry e = crypto.entry(s.token(), mechanism, CKF.GENERATE_KEY_PAIR);
        GeneratedKeyPair pair = e.impl().generateKeyPair(mechanism, new TemplateView(publicTemplate),
                new TemplateView(privateTemplate));
        Creator creator = ObjectCalls.creator(s);
        Map<Long, Attribute> pub = ObjectFactory.forGenerated(CKO.PUBLIC_KEY, pair.publicKey(), publicTemplate,
                mechanism.type(), creator);
        Map<Long, Attribute> priv = ObjectFactory.forGenerated(CKO.PRIVATE_KEY, pair.privateKey(), privateTemplate,
                mechanism.type(), creator);
        ObjectCalls.checkMayHold(s, pub);
        ObjectCalls.checkMayHold(s, priv);
        HsmObject publicKey = s.token().addObject(pub, s.handle());
        try {
            return new long[] {publicKey.handle(), s.token().addObject(priv, s.handle()).handle()};
        } catch (RuntimeException ex) {
            s.token().removeObject(publicKey);
            throw ex;
        }
    }
}
