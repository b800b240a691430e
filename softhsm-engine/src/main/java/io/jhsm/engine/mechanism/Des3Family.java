package io.jhsm.engine.mechanism;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Three-key Triple DES (CKK_DES3, 24 bytes with odd parity), for interoperating with legacy systems
 * (payment HSM key blocks, old tokens): key generation, ECB, CBC, CBC_PAD (SunJCE) and CMAC (BC).
 * Single DES and two-key DES2 are not offered: their keys are too short to protect anything.
 * Key sizes in bytes.
 */
final class Des3Family implements MechanismFamily {
    private static final long CRYPT = CKF.ENCRYPT | CKF.DECRYPT;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Des3Key(SecretKeySpec spec) {}

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.DES3_KEY_GEN, 24, 24, CKF.GENERATE, new MechanismImpl() {
                    @Override
                    public List<Attribute> generateKey(Mechanism mechanism, TemplateView template) {
                        byte[] v = new byte[24];
                        RANDOM.nextBytes(v);
                        return List.of(Attribute.of(CKA.KEY_TYPE, CKK.DES3), Attribute.of(CKA.VALUE, SecretKeyLengths.withDesParity(v)));
                    }
                }),
                row(CKM.DES3_ECB, 24, 24, CRYPT, new Block("DESede/ECB/NoPadding", false)),
                row(CKM.DES3_CBC, 24, 24, CRYPT, new Block("DESede/CBC/NoPadding", true)),
                row(CKM.DES3_CBC_PAD, 24, 24, CRYPT | CKF.WRAP | CKF.UNWRAP, new Block("DESede/CBC/PKCS5Padding", true)),
                row(CKM.DES3_CMAC, 24, 24, CKF.SIGN | CKF.VERIFY, new Cmac(false)),
                row(CKM.DES3_CMAC_GENERAL, 24, 24, CKF.SIGN | CKF.VERIFY, new Cmac(true)));
    }

    static SecretKeySpec key(KeyView key) {
        KeyChecks.requireKeyType(key, CKK.DES3);
        return key.cached(Des3Key.class, () -> {
            byte[] v = key.require(CKA.VALUE);
            if (v.length != 24) {
                throw new CkException(CKR.KEY_SIZE_RANGE, "DES3 key must be 24 bytes");
            }
            return new Des3Key(new SecretKeySpec(v, "DESede"));
        }).spec();
    }

    private record Block(String transformation, boolean needsIv) implements WrapsByEncrypting {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return new JcaBlockCipher(transformation, true, key(key), iv(mechanism));
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return new JcaBlockCipher(transformation, false, key(key), iv(mechanism));
        }


        private IvParameterSpec iv(Mechanism mechanism) {
            if (!needsIv) {
                if (mechanism.params() != null) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, "DES3-ECB takes no parameter");
                }
                return null;
            }
            byte[] iv = mechanism.params(MechanismParams.Bytes.class).bytes();
            if (iv.length != 8) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "DES3-CBC IV must be 8 bytes");
            }
            return new IvParameterSpec(iv);
        }
    }

    private record Cmac(boolean general) implements MechanismImpl {
        @Override
        public SignOperation sign(Mechanism mechanism, KeyView key) {
            return open(mechanism, key);
        }

        @Override
        public VerifyOperation verify(Mechanism mechanism, KeyView key) {
            return open(mechanism, key);
        }

        private BcMacSigner open(Mechanism mechanism, KeyView key) {
            CMac mac = new CMac(new DESedeEngine());
            mac.init(new KeyParameter(key(key).getEncoded()));
            return new BcMacSigner(mac, AesModesFamily.macLength(mechanism, general, 8));
        }
    }
}
