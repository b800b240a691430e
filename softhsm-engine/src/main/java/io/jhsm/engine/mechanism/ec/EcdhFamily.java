package io.jhsm.engine.mechanism.ec;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.engine.mechanism.edwards.ModernCurves;
import io.jhsm.engine.mechanism.edwards.ModernKeys;
import io.jhsm.engine.mechanism.kdf.DerivedKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKD;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.MessageDigest;
import java.util.List;
import org.bouncycastle.crypto.RawAgreement;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.agreement.X448Agreement;

/**
 * CKM_ECDH1_DERIVE and CKM_ECDH1_COFACTOR_DERIVE on CKK_EC keys (NIST curves, secp256k1) and, as
 * PKCS#11 3.0 specifies, on CKK_EC_MONTGOMERY keys (X25519, X448). The shared secret Z goes through
 * the CK_ECDH1_DERIVE_PARAMS kdf: CKD_NULL (Z itself) or the ANSI X9.63 KDF with SHA-1/SHA-2.
 * Key sizes are field sizes in bits: 255 (X25519) up to 521 (P-521).
 */
public final class EcdhFamily implements MechanismFamily {
    private static final long EC_FLAGS = CKF.EC_F_P | CKF.EC_NAMEDCURVE | CKF.EC_UNCOMPRESS;

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.ECDH1_DERIVE, ModernCurves.MIN_BITS, EcCurves.MAX_BITS, CKF.DERIVE | EC_FLAGS, new Ecdh(false)),
                row(CKM.ECDH1_COFACTOR_DERIVE, ModernCurves.MIN_BITS, EcCurves.MAX_BITS, CKF.DERIVE | EC_FLAGS, new Ecdh(true)));
    }

    private record Ecdh(boolean cofactor) implements MechanismImpl {
        @Override
        public List<Attribute> deriveKey(Mechanism mechanism, KeyView baseKey, TemplateView template) {
            MechanismParams.Ecdh1Derive p = mechanism.params(MechanismParams.Ecdh1Derive.class);
            HashAlg kdf = kdfHash(p);
            byte[] shared = p.sharedData() == null ? new byte[0] : p.sharedData();
            if (kdf == null && shared.length != 0) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "CKD_NULL takes no shared data");
            }
            if (p.publicData() == null || p.publicData().length == 0) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "pPublicData is required");
            }
            byte[] z = baseKey.keyType() == CKK.EC_MONTGOMERY ? montgomery(baseKey, p.publicData()) : weierstrass(baseKey, p.publicData());
            try {
                long type = DerivedKeys.keyType(template);
                if (kdf == null) {
                    return DerivedKeys.of(type, z, DerivedKeys.length(template, type, z.length));
                }
                int len = DerivedKeys.length(template, type, 0);
                return DerivedKeys.of(type, x963(kdf, z, shared, len), len);
            } finally {
                java.util.Arrays.fill(z, (byte) 0);
            }
        }

        private byte[] weierstrass(KeyView baseKey, byte[] publicData) {
            EcKeys.Private k = EcKeys.privateKey(baseKey);
            org.bouncycastle.math.ec.ECPoint peer;
            try {
                peer = EcKeys.decodePoint(k.curve(), publicData);
            } catch (CkException e) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "pPublicData is not a point on the base key's curve");
            }
            return EcdhAgreement.agree(baseKey, k, peer, cofactor);
        }

        private static byte[] montgomery(KeyView baseKey, byte[] publicData) {
            ModernKeys.Private k = ModernKeys.privateKey(baseKey, CKK.EC_MONTGOMERY);
            byte[] q = ModernKeys.publicOctets(k.curve(), publicData, CKR.MECHANISM_PARAM_INVALID);
            RawAgreement agreement = k.curve() == ModernCurves.X25519 ? new X25519Agreement() : new X448Agreement();
            agreement.init(k.params());
            byte[] z = new byte[agreement.getAgreementSize()];
            try {
                agreement.calculateAgreement(ModernKeys.publicParams(k.curve(), q), z, 0);
            } catch (IllegalStateException e) {
                // RFC 7748 §6: an all-zero result means a low-order peer point.
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "peer public key is of low order");
            }
            return z;
        }
    }

    private static HashAlg kdfHash(MechanismParams.Ecdh1Derive p) {
        long kdf = p.kdf();
        if (kdf == CKD.NULL) {
            return null;
        }
        if (kdf == CKD.SHA1_KDF) {
            return HashAlg.SHA1;
        }
        if (kdf == CKD.SHA224_KDF) {
            return HashAlg.SHA224;
        }
        if (kdf == CKD.SHA256_KDF) {
            return HashAlg.SHA256;
        }
        if (kdf == CKD.SHA384_KDF) {
            return HashAlg.SHA384;
        }
        if (kdf == CKD.SHA512_KDF) {
            return HashAlg.SHA512;
        }
        throw new CkException(CKR.MECHANISM_PARAM_INVALID, "unsupported KDF " + CKD.name(kdf));
    }

    /** ANSI X9.63 §5.6.3 KDF: Hash(Z || counter || SharedInfo) for counter = 1, 2, … (32-bit big-endian). */
    static byte[] x963(HashAlg hash, byte[] z, byte[] sharedInfo, int length) {
        MessageDigest md = hash.newJcaDigest();
        byte[] out = new byte[length];
        int done = 0;
        for (int counter = 1; done < length; counter++) {
            md.update(z);
            md.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter});
            md.update(sharedInfo);
            byte[] block = md.digest();
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        return out;
    }
}
