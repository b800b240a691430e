package io.jhsm.engine.mechanism.kdf;

import io.jhsm.engine.mechanism.Providers;
import io.jhsm.engine.mechanism.aes.AesKeys;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A keyed pseudo-random function for the KDFs (HKDF, SP 800-108): HMAC over SunJCE (intrinsic SHA),
 * or AES-/DES3-CMAC over BC (SunJCE has no CMAC). One instance per derivation; not thread-safe.
 */
abstract class Prf {

    abstract int length();

    abstract void update(byte[] data);

    abstract byte[] doFinal();

    static Prf hmac(HashAlg hash, byte[] key) {
        try {
            Mac mac = Mac.getInstance(hash.hmacName(), Providers.SUN_JCE);
            // HMAC allows an empty key (RFC 2104 pads it), SecretKeySpec does not: HKDF's default salt is HashLen zeros anyway.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[hash.length] : key, "HMAC"));
            return new Prf() {
                @Override
                int length() {
                    return mac.getMacLength();
                }

                @Override
                void update(byte[] data) {
                    mac.update(data);
                }

                @Override
                byte[] doFinal() {
                    return mac.doFinal();
                }
            };
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, "HMAC init", e);
        }
    }

    static Prf aesCmac(byte[] key) {
        if (!AesKeys.validLength(key.length)) {
            throw new CkException(CKR.KEY_SIZE_RANGE, "AES-CMAC PRF needs a 16, 24 or 32-byte key");
        }
        return cmac(org.bouncycastle.crypto.engines.AESEngine.newInstance(), key);
    }

    /** Three-key triple-DES CMAC (SP 800-108 lists CKM_DES3_CMAC as a PRF): 8-byte output. */
    static Prf des3Cmac(byte[] key) {
        if (key.length != 24) {
            throw new CkException(CKR.KEY_SIZE_RANGE, "DES3-CMAC PRF needs a 24-byte key");
        }
        return cmac(new org.bouncycastle.crypto.engines.DESedeEngine(), key);
    }

    private static Prf cmac(org.bouncycastle.crypto.BlockCipher cipher, byte[] key) {
        CMac mac = new CMac(cipher);
        mac.init(new KeyParameter(key));
        return new Prf() {
            @Override
            int length() {
                return mac.getMacSize();
            }

            @Override
            void update(byte[] data) {
                mac.update(data, 0, data.length);
            }

            @Override
            byte[] doFinal() {
                byte[] out = new byte[mac.getMacSize()];
                mac.doFinal(out, 0);
                return out;
            }
        };
    }

    byte[] of(byte[]... parts) {
        for (byte[] p : parts) {
            update(p);
        }
        return doFinal();
    }

    static byte[] take(byte[] a, int n) {
        return a.length == n ? a : Arrays.copyOf(a, n);
    }
}
