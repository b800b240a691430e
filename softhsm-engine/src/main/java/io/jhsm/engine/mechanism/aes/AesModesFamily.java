package io.jhsm.engine.mechanism.aes;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.BcBufferedCipher;
import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.JcaBlockCipher;
import io.jhsm.engine.mechanism.KeyChecks;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.mechanism.mac.BcMacSigner;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.List;
import javax.crypto.spec.IvParameterSpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.CTSBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The AES modes beyond AesFamily: OFB, CFB8, CFB128 (SunJCE), CTS (BC, CBC-CS3 as PKCS#11 and
 * Kerberos use it), CMAC and CMAC_GENERAL (BC), CCM (BC), and XTS with its own key type CKK_AES_XTS
 * (32 or 64 bytes: two AES keys). Key sizes in bytes.
 */
public final class AesModesFamily implements MechanismFamily {
    private static final long CRYPT = CKF.ENCRYPT | CKF.DECRYPT;
    private static final int MIN = AesKeys.MIN_BYTES;
    private static final int MAX = AesKeys.MAX_BYTES;

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.AES_OFB, MIN, MAX, CRYPT, new Jca("AES/OFB/NoPadding")),
                row(CKM.AES_CFB8, MIN, MAX, CRYPT, new Jca("AES/CFB8/NoPadding")),
                row(CKM.AES_CFB128, MIN, MAX, CRYPT, new Jca("AES/CFB128/NoPadding")),
                row(CKM.AES_CTS, MIN, MAX, CRYPT, new Cts()),
                row(CKM.AES_CMAC, MIN, MAX, CKF.SIGN | CKF.VERIFY, new Cmac(false)),
                row(CKM.AES_CMAC_GENERAL, MIN, MAX, CKF.SIGN | CKF.VERIFY, new Cmac(true)),
                row(CKM.AES_CCM, MIN, MAX, CRYPT | AesFamily.MESSAGE, new Ccm()),
                row(CKM.AES_XTS, 32, 64, CRYPT, new Xts()),
                row(CKM.AES_XTS_KEY_GEN, 32, 64, CKF.GENERATE, new XtsKeyGen()));
    }

    static byte[] iv16(Mechanism mechanism) {
        byte[] iv = mechanism.params(MechanismParams.Bytes.class).bytes();
        if (iv.length != 16) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " needs a 16-byte IV");
        }
        return iv;
    }

    private record Jca(String transformation) implements MechanismImpl {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return new JcaBlockCipher(transformation, true, AesKeys.of(key), new IvParameterSpec(iv16(mechanism)));
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return new JcaBlockCipher(transformation, false, AesKeys.of(key), new IvParameterSpec(iv16(mechanism)));
        }
    }

    private static final class Cts implements MechanismImpl {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return open(mechanism, key, true);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return open(mechanism, key, false);
        }

        private static CipherOperation open(Mechanism mechanism, KeyView key, boolean encrypt) {
            CTSBlockCipher cts = new CTSBlockCipher(CBCBlockCipher.newInstance(AESEngine.newInstance()));
            cts.init(encrypt, new ParametersWithIV(new KeyParameter(AesKeys.of(key).getEncoded()), iv16(mechanism)));
            return new BcBufferedCipher(cts, encrypt);
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
            CMac mac = new CMac(AESEngine.newInstance());
            mac.init(new KeyParameter(AesKeys.of(key).getEncoded()));
            return new BcMacSigner(mac, macLength(mechanism, general, 16));
        }
    }

    /** The MAC length: the block size, or the CK_MAC_GENERAL_PARAMS length in 1..block (0 would verify anything). */
    public static int macLength(Mechanism mechanism, boolean general, int block) {
        if (!general) {
            if (mechanism.params() != null) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " takes no parameter");
            }
            return block;
        }
        long len = mechanism.params(MechanismParams.UlongValue.class).value();
        if (len < 1 || len > block) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "MAC length " + len + " outside 1.." + block);
        }
        return (int) len;
    }

    private static final class Ccm implements MechanismImpl {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return new AesCcmCipher(AesKeys.of(key), mechanism.params(MechanismParams.Ccm.class), true);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return new AesCcmCipher(AesKeys.of(key), mechanism.params(MechanismParams.Ccm.class), false);
        }
    }

    private static final class Xts implements MechanismImpl {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return new AesXtsCipher(xtsKey(key), iv16(mechanism), true);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return new AesXtsCipher(xtsKey(key), iv16(mechanism), false);
        }

        private static byte[] xtsKey(KeyView key) {
            KeyChecks.requireKeyType(key, CKK.AES_XTS);
            byte[] v = key.require(CKA.VALUE);
            if (v.length != 32 && v.length != 64) {
                throw new CkException(CKR.KEY_SIZE_RANGE, "AES-XTS key must be 32 or 64 bytes");
            }
            return v;
        }
    }

    private static final class XtsKeyGen implements MechanismImpl {
        @Override
        public List<Attribute> generateKey(Mechanism mechanism, TemplateView template) {
            long len = template.requireLong(CKA.VALUE_LEN);
            if (len != 32 && len != 64) {
                throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "CKA_VALUE_LEN " + len + " is not an AES-XTS key length");
            }
            byte[] value = new byte[(int) len];
            LazyRandom.get().nextBytes(value);
            return List.of(Attribute.of(CKA.KEY_TYPE, CKK.AES_XTS), Attribute.of(CKA.VALUE, value), Attribute.of(CKA.VALUE_LEN, len));
        }
    }
}
