package io.jhsm.engine.mechanism.kdf;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.engine.mechanism.mac.HmacFamily;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKZ;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import java.util.List;

/**
 * CKM_PKCS5_PBKD2: a key generation mechanism (C_GenerateKey) that derives the key from the password
 * in CK_PKCS5_PBKD2_PARAMS2 by PBKDF2 (RFC 8018 §5.2) with an HMAC PRF. Sizes are the generated
 * key's, in bytes.
 */
public final class Pbkdf2Family implements MechanismFamily {
    /** Far above any real iteration count, low enough that one call cannot occupy a core for minutes. */
    static final long MAX_ITERATIONS = 10_000_000;

    @Override
    public List<MechanismEntry> entries() {
        return List.of(row(CKM.PKCS5_PBKD2, HmacFamily.MIN_KEY_BYTES, HmacFamily.MAX_KEY_BYTES, CKF.GENERATE, new MechanismImpl() {
            @Override
            public List<Attribute> generateKey(Mechanism mechanism, TemplateView template) {
                MechanismParams.Pbkdf2 p = mechanism.params(MechanismParams.Pbkdf2.class);
                if (p.saltSource() != CKZ.SALT_SPECIFIED || p.saltSourceData() == null) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, "saltSource must be CKZ_SALT_SPECIFIED with salt data");
                }
                if (p.iterations() < 1 || p.iterations() > MAX_ITERATIONS) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, "iterations " + p.iterations() + " outside 1.." + MAX_ITERATIONS);
                }
                if (p.prfData() != null && p.prfData().length != 0) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, "the HMAC PRFs take no pPrfData");
                }
                if (p.password() == null) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, "pPassword is required");
                }
                long type = DerivedKeys.keyType(template);
                int len = DerivedKeys.length(template, type, 0);
                return DerivedKeys.of(type, pbkdf2(prf(p.prf()), p.password(), p.saltSourceData(), (int) p.iterations(), len), len);
            }
        }));
    }

    private static HashAlg prf(long prf) {
        if (prf == CKP.PKCS5_PBKD2_HMAC_SHA1) {
            return HashAlg.SHA1;
        } else if (prf == CKP.PKCS5_PBKD2_HMAC_SHA224) {
            return HashAlg.SHA224;
        } else if (prf == CKP.PKCS5_PBKD2_HMAC_SHA256) {
            return HashAlg.SHA256;
        } else if (prf == CKP.PKCS5_PBKD2_HMAC_SHA384) {
            return HashAlg.SHA384;
        } else if (prf == CKP.PKCS5_PBKD2_HMAC_SHA512) {
            return HashAlg.SHA512;
        } else if (prf == CKP.PKCS5_PBKD2_HMAC_SHA512_224) {
            return HashAlg.SHA512_224;
        } else if (prf == CKP.PKCS5_PBKD2_HMAC_SHA512_256) {
            return HashAlg.SHA512_256;
        }
        throw new CkException(CKR.MECHANISM_PARAM_INVALID, "unsupported PBKDF2 PRF " + prf);
    }

    /**
     * RFC 8018 §5.2 over a keyed SunJCE Mac. Written out rather than SecretKeyFactory because JDK 17's
     * SunJCE lacks the SHA-512/t PRFs and takes the password as chars, which would mangle non-ASCII
     * UTF-8 passwords; the password bytes are the HMAC key as they are.
     */
    static byte[] pbkdf2(HashAlg hash, byte[] password, byte[] salt, int iterations, int length) {
        Prf prf = Prf.hmac(hash, password);
        byte[] out = new byte[length];
        int h = prf.length();
        for (int block = 1, done = 0; done < length; block++) {
            byte[] u = prf.of(salt, new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
            byte[] t = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = prf.of(u);
                for (int j = 0; j < h; j++) {
                    t[j] ^= u[j];
                }
            }
            int n = Math.min(h, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
            Arrays.fill(t, (byte) 0);
        }
        return out;
    }
}
