package io.jhsm.engine.mechanism.edwards;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.GeneratedKeyPair;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Mechanism;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X448PrivateKeyParameters;

/**
 * CKK_EC_EDWARDS and CKK_EC_MONTGOMERY keys (PKCS#11 3.0): CKM_EC_EDWARDS_KEY_PAIR_GEN (Ed25519,
 * Ed448), CKM_EC_MONTGOMERY_KEY_PAIR_GEN (X25519, X448) and CKM_EDDSA. Montgomery keys are used by
 * CKM_ECDH1_DERIVE (EcdhFamily). Key sizes are field sizes in bits, 255..448.
 */
public final class EdwardsFamily implements MechanismFamily {

    @Override
    public List<MechanismEntry> entries() {
        long sizes = CKF.EC_NAMEDCURVE;
        return List.of(
                row(CKM.EC_EDWARDS_KEY_PAIR_GEN, ModernCurves.MIN_BITS, ModernCurves.MAX_BITS, CKF.GENERATE_KEY_PAIR | sizes, new KeyPairGen(CKK.EC_EDWARDS)),
                row(CKM.EC_MONTGOMERY_KEY_PAIR_GEN, ModernCurves.MIN_BITS, ModernCurves.MAX_BITS, CKF.GENERATE_KEY_PAIR | sizes, new KeyPairGen(CKK.EC_MONTGOMERY)),
                row(CKM.EDDSA, ModernCurves.MIN_BITS, ModernCurves.MAX_BITS, CKF.SIGN | CKF.VERIFY | sizes, new MechanismImpl() {
                    @Override
                    public SignOperation sign(Mechanism mechanism, KeyView key) {
                        return EddsaSigner.forSigning(mechanism, key);
                    }

                    @Override
                    public VerifyOperation verify(Mechanism mechanism, KeyView key) {
                        return EddsaSigner.forVerifying(mechanism, key);
                    }
                }));
    }

    private record KeyPairGen(long keyType) implements MechanismImpl {
        @Override
        public GeneratedKeyPair generateKeyPair(Mechanism mechanism, TemplateView publicTemplate, TemplateView privateTemplate) {
            byte[] ecParams = publicTemplate.has(CKA.EC_PARAMS) ? publicTemplate.get(CKA.EC_PARAMS) : privateTemplate.require(CKA.EC_PARAMS);
            ModernCurves curve = ModernCurves.fromEcParams(ecParams, keyType);
            byte[] priv;
            byte[] pub;
            switch (curve) {
                case ED25519 -> {
                    Ed25519PrivateKeyParameters k = new Ed25519PrivateKeyParameters(LazyRandom.get());
                    priv = k.getEncoded();
                    pub = k.generatePublicKey().getEncoded();
                }
                case ED448 -> {
                    Ed448PrivateKeyParameters k = new Ed448PrivateKeyParameters(LazyRandom.get());
                    priv = k.getEncoded();
                    pub = k.generatePublicKey().getEncoded();
                }
                case X25519 -> {
                    X25519PrivateKeyParameters k = new X25519PrivateKeyParameters(LazyRandom.get());
                    priv = k.getEncoded();
                    pub = k.generatePublicKey().getEncoded();
                }
                default -> {
                    X448PrivateKeyParameters k = new X448PrivateKeyParameters(LazyRandom.get());
                    priv = k.getEncoded();
                    pub = k.generatePublicKey().getEncoded();
                }
            }
            return new GeneratedKeyPair(
                    List.of(Attribute.of(CKA.KEY_TYPE, keyType), Attribute.of(CKA.EC_PARAMS, ecParams.clone()), Attribute.of(CKA.EC_POINT, ModernKeys.encodePublic(pub))),
                    List.of(Attribute.of(CKA.KEY_TYPE, keyType), Attribute.of(CKA.EC_PARAMS, ecParams.clone()), Attribute.of(CKA.VALUE, priv)));
        }
    }
}
