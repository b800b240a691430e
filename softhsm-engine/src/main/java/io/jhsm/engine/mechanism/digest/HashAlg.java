package io.jhsm.engine.mechanism.digest;

import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.digests.SHA512tDigest;

/**
 * The SHA-1, SHA-2 (including SHA-512/t) and SHA-3 hashes as PKCS#11 names it in mechanism parameters (hashAlg = CKM_SHA256, mgf =
 * CKG_MGF1_SHA256), with both implementations: JCA for bulk hashing (SHA-NI / AVX intrinsics make it
 * several times faster than pure-Java BC, see MechanismBench) and BC digests where a BC engine
 * (PSS, OAEP, ECDSA, HMAC state) needs a Digest object.
 */
public enum HashAlg {
    SHA1(CKM.SHA_1, CKG.MGF1_SHA1, 20, "SHA-1", SHA1Digest::new, CKM.SHA_1_HMAC, CKM.SHA_1_HMAC_GENERAL, CKK.SHA_1_HMAC),
    SHA224(CKM.SHA224, CKG.MGF1_SHA224, 28, "SHA-224", SHA224Digest::new, CKM.SHA224_HMAC, CKM.SHA224_HMAC_GENERAL, CKK.SHA224_HMAC),
    SHA256(CKM.SHA256, CKG.MGF1_SHA256, 32, "SHA-256", SHA256Digest::new, CKM.SHA256_HMAC, CKM.SHA256_HMAC_GENERAL, CKK.SHA256_HMAC),
    SHA384(CKM.SHA384, CKG.MGF1_SHA384, 48, "SHA-384", SHA384Digest::new, CKM.SHA384_HMAC, CKM.SHA384_HMAC_GENERAL, CKK.SHA384_HMAC),
    SHA512(CKM.SHA512, CKG.MGF1_SHA512, 64, "SHA-512", SHA512Digest::new, CKM.SHA512_HMAC, CKM.SHA512_HMAC_GENERAL, CKK.SHA512_HMAC),
    /** SHA-512/t has no CKG_MGF1 value in PKCS#11, so it cannot drive PSS or OAEP. */
    SHA512_224(CKM.SHA512_224, Mgf.NONE, 28, "SHA-512/224", () -> new SHA512tDigest(224), CKM.SHA512_224_HMAC, CKM.SHA512_224_HMAC_GENERAL, CKK.SHA512_224_HMAC),
    SHA512_256(CKM.SHA512_256, Mgf.NONE, 32, "SHA-512/256", () -> new SHA512tDigest(256), CKM.SHA512_256_HMAC, CKM.SHA512_256_HMAC_GENERAL, CKK.SHA512_256_HMAC),
    SHA3_224(CKM.SHA3_224, CKG.MGF1_SHA3_224, 28, "SHA3-224", () -> new SHA3Digest(224), CKM.SHA3_224_HMAC, CKM.SHA3_224_HMAC_GENERAL, CKK.SHA3_224_HMAC),
    SHA3_256(CKM.SHA3_256, CKG.MGF1_SHA3_256, 32, "SHA3-256", () -> new SHA3Digest(256), CKM.SHA3_256_HMAC, CKM.SHA3_256_HMAC_GENERAL, CKK.SHA3_256_HMAC),
    SHA3_384(CKM.SHA3_384, CKG.MGF1_SHA3_384, 48, "SHA3-384", () -> new SHA3Digest(384), CKM.SHA3_384_HMAC, CKM.SHA3_384_HMAC_GENERAL, CKK.SHA3_384_HMAC),
    SHA3_512(CKM.SHA3_512, CKG.MGF1_SHA3_512, 64, "SHA3-512", () -> new SHA3Digest(512), CKM.SHA3_512_HMAC, CKM.SHA3_512_HMAC_GENERAL, CKK.SHA3_512_HMAC),
    /**
     * Broken (collisions since 2004); offered only by tokens with legacy-algorithms = true, and only as
     * CKM_MD5, its HMACs (generic secret keys: PKCS#11 has no MD5 key type) and CKM_MD5_RSA_PKCS; never
     * in mechanism parameters ({@link #byCkm}) or as a PRF.
     */
    MD5(CKM.MD5, Mgf.NONE, 16, "MD5", MD5Digest::new, CKM.MD5_HMAC, CKM.MD5_HMAC_GENERAL, CKK.GENERIC_SECRET);

    /** Every hash but the legacy MD5: what the standard rows, parameters and PRFs may name. */
    public static final List<HashAlg> STANDARD = Arrays.stream(values()).filter(h -> h != MD5).toList();

    public final long ckm;
    final long mgf;
    public final int length;
    final String jcaName;
    /** CKM_xxx_HMAC, CKM_xxx_HMAC_GENERAL and the CKK_xxx_HMAC key type that goes with them. */
    public final long hmac;
    public final long hmacGeneral;
    public final long hmacKeyType;
    private final Supplier<Digest> bc;
    /**
     * The SUN provider instance, resolved at the first digest: getInstance(name, provider) skips the provider list
     * walk then. Not when the enum is initialised, which building the mechanism table at C_Initialize does: the
     * first getInstance sets up the JCA provider list, which a consumer reading the token's info never needs.
     */
    private volatile Provider provider;

    HashAlg(long ckm, long mgf, int length, String jcaName, Supplier<Digest> bc, long hmac, long hmacGeneral, long hmacKeyType) {
        this.ckm = ckm;
        this.mgf = mgf;
        this.length = length;
        this.jcaName = jcaName;
        this.bc = bc;
        this.hmac = hmac;
        this.hmacGeneral = hmacGeneral;
        this.hmacKeyType = hmacKeyType;
    }

    public Digest newBcDigest() {
        return bc.get();
    }

    public MessageDigest newJcaDigest() {
        Provider p = provider;
        try {
            if (p == null) {
                MessageDigest first = MessageDigest.getInstance(jcaName);
                provider = first.getProvider();
                return first;
            }
            return MessageDigest.getInstance(jcaName, p);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " vanished from " + (p == null ? "the JCA providers" : p), e);
        }
    }

    /** The SunJCE HMAC name: HmacSHA256, HmacSHA512/224, HmacSHA3-256 (SHA-3 keeps its hyphen). */
    public String hmacName() {
        return "Hmac" + (jcaName.startsWith("SHA3-") ? jcaName : jcaName.replace("-", ""));
    }

    /** The hash a mechanism parameter names (CK_RSA_PKCS_PSS_PARAMS.hashAlg …), or CKR_MECHANISM_PARAM_INVALID. */
    public static HashAlg byCkm(long ckm) {
        for (HashAlg h : STANDARD) {
            if (h.ckm == ckm) {
                return h;
            }
        }
        throw new CkException(CKR.MECHANISM_PARAM_INVALID, "unsupported hash " + CKM.name(ckm));
    }

    /**
     * The hash of the MGF1 a PSS/OAEP parameter names (CKG_MGF1_SHA256 …), or CKR_MECHANISM_PARAM_INVALID.
     * PKCS#11 lets it differ from the message hash (RFC 8017 allows any MGF1 hash), so it is looked up on its own.
     */
    public static HashAlg byMgf(long mgf) {
        for (HashAlg h : values()) {
            if (h.mgf != Mgf.NONE && h.mgf == mgf) {
                return h;
            }
        }
        throw new CkException(CKR.MECHANISM_PARAM_INVALID, "unsupported mask generation function " + CKG.name(mgf));
    }

    /** Holder for the "no MGF1 variant" marker, which enum constants cannot take from a field of their own class. */
    private static final class Mgf {
        static final long NONE = -1;
    }
}
