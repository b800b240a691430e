package io.jhsm.engine.mechanism.ec;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.BigInts;
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
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import java.util.List;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/** CKM_EC_KEY_PAIR_GEN and ECDSA (raw and with SHA-1/SHA-2/SHA-3). Key sizes in bits (order size). */
public final class EcFamily implements MechanismFamily {
    private static final long EC_FLAGS = CKF.EC_F_P | CKF.EC_NAMEDCURVE | CKF.EC_UNCOMPRESS;

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.EC_KEY_PAIR_GEN, EcCurves.MIN_BITS, EcCurves.MAX_BITS, CKF.GENERATE_KEY_PAIR | EC_FLAGS, new KeyPairGen()),
                ecdsa(CKM.ECDSA, null),
                ecdsa(CKM.ECDSA_SHA1, HashAlg.SHA1),
                ecdsa(CKM.ECDSA_SHA224, HashAlg.SHA224),
                ecdsa(CKM.ECDSA_SHA256, HashAlg.SHA256),
                ecdsa(CKM.ECDSA_SHA384, HashAlg.SHA384),
                ecdsa(CKM.ECDSA_SHA512, HashAlg.SHA512),
                ecdsa(CKM.ECDSA_SHA3_224, HashAlg.SHA3_224),
                ecdsa(CKM.ECDSA_SHA3_256, HashAlg.SHA3_256),
                ecdsa(CKM.ECDSA_SHA3_384, HashAlg.SHA3_384),
                ecdsa(CKM.ECDSA_SHA3_512, HashAlg.SHA3_512));
    }

    private static MechanismEntry ecdsa(long type, HashAlg hash) {
        return row(type, EcCurves.MIN_BITS, EcCurves.MAX_BITS, CKF.SIGN | CKF.VERIFY | EC_FLAGS, new MechanismImpl() {
            @Override
            public SignOperation sign(Mechanism mechanism, KeyView key) {
                noParams(mechanism);
                return EcdsaSigner.forSigning(key, hash);
            }

            @Override
            public VerifyOperation verify(Mechanism mechanism, KeyView key) {
                noParams(mechanism);
                return EcdsaSigner.forVerifying(key, hash);
            }
        });
    }

    private static void noParams(Mechanism mechanism) {
        if (mechanism.params() != null) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " takes no parameter");
        }
    }

    private static final class KeyPairGen implements MechanismImpl {
        @Override
        public GeneratedKeyPair generateKeyPair(Mechanism mechanism, TemplateView publicTemplate, TemplateView privateTemplate) {
            // PKCS#11 puts CKA_EC_PARAMS in the public template; some callers give it only with the private one.
            byte[] ecParams = publicTemplate.has(CKA.EC_PARAMS) ? publicTemplate.get(CKA.EC_PARAMS) : privateTemplate.require(CKA.EC_PARAMS);
            EcCurves.Curve curve = EcCurves.fromEcParams(ecParams);
            ECKeyPairGenerator gen = new ECKeyPairGenerator();
            gen.init(new ECKeyGenerationParameters(curve.domain(), LazyRandom.get()));
            AsymmetricCipherKeyPair kp = gen.generateKeyPair();
            ECPublicKeyParameters pub = (ECPublicKeyParameters) kp.getPublic();
            ECPrivateKeyParameters priv = (ECPrivateKeyParameters) kp.getPrivate();
            return new GeneratedKeyPair(
                    List.of(Attribute.of(CKA.KEY_TYPE, CKK.EC), Attribute.of(CKA.EC_PARAMS, ecParams.clone()), Attribute.of(CKA.EC_POINT, EcKeys.encodePoint(pub.getQ()))),
                    List.of(Attribute.of(CKA.KEY_TYPE, CKK.EC), Attribute.of(CKA.EC_PARAMS, ecParams.clone()), Attribute.of(CKA.VALUE, BigInts.encode(priv.getD()))));
        }
    }
}
