package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * The SHA family as PKCS#11 names it in mechanism parameters (hashAlg = CKM_SHA256, mgf =
 * CKG_MGF1_SHA256), with both implementations: JCA for bulk hashing (SHA-NI / AVX intrinsics make it
 * several times faster than pure-Java BC, see MechanismBench) and BC digests where a BC engine
 * (PSS, OAEP, ECDSA, HMAC state) needs a Digest object.
 */
enum HashAlg {
    SHA1(CKM.SHA_1, CKG.MGF1_SHA1, 20, "SHA-1", SHA1Digest::new),
    SHA224(CKM.SHA224, CKG.MGF1_SHA224, 28, "SHA-224", SHA224Digest::new),
    SHA256(CKM.SHA256, CKG.MGF1_SHA256, 32, "SHA-256", SHA256Digest::new),
    SHA384(CKM.SHA384, CKG.MGF1_SHA384, 48, "SHA-384", SHA384Digest::new),
    SHA512(CKM.SHA512, CKG.MGF1_SHA512, 64, "SHA-512", SHA512Digest::new);

    final long ckm;
    final long mgf;
    final int length;
    final String jcaName;
    private final Supplier<Digest> bc;
    /** The SUN provider instance, resolved once: getInstance(name, provider) skips the provider list walk. */
    private final Provider provider;

    HashAlg(long ckm, long mgf, int length, String jcaName, Supplier<Digest> bc) {
        this.ckm = ckm;
        this.mgf = mgf;
        this.length = length;
        this.jcaName = jcaName;
        this.bc = bc;
        try {
            this.provider = MessageDigest.getInstance(jcaName).getProvider();
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Digest newBcDigest() {
        return bc.get();
    }

    MessageDigest newJcaDigest() {
        try {
            return MessageDigest.getInstance(jcaName, provider);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " vanished from " + provider, e);
        }
    }

    /** The hash a mechanism parameter names (CK_RSA_PKCS_PSS_PARAMS.hashAlg …), or CKR_MECHANISM_PARAM_INVALID. */
    static HashAlg byCkm(long ckm) {
        for (HashAlg h : values()) {
            if (h.ckm == ckm) {
                return h;
            }
        }
        throw new CkException(CKR.MECHANISM_PARAM_INVALID, "unsupported hash " + CKM.name(ckm));
    }

    /**
     * Checks that the MGF1 named in a PSS/OAEP parameter uses this hash. PKCS#11 allows them to
     * differ, but CloudHSM (whose behaviour we simulate) rejects a mismatch, and so do we.
     */
    void requireMatchingMgf(long mgf) {
        if (mgf != this.mgf) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "MGF " + CKG.name(mgf) + " does not match hash " + CKM.name(ckm));
        }
    }
}
