package io.jhsm.engine.mechanism.ec;

import io.jhsm.engine.mechanism.CryptoBackend;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.PartBuffer;
import io.jhsm.engine.mechanism.SavedStates;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.MessageDigest;

/**
 * CKM_ECDSA and CKM_ECDSA_SHAxxx, sign and verify: the input (a running JCA digest, or the raw CKM_ECDSA bytes)
 * and PKCS#11's rules, over an {@link EcdsaEngine} — AWS-LC through ACCP when {@link CryptoBackend} has it,
 * else Bouncy Castle. Hashing stays on JCA (SUN's intrinsics) with either engine, so every hash, SHA-3 included,
 * and C_GetOperationState's copies work the same. Signatures are r || s, each left-padded to the byte length
 * of the group order, as PKCS#11 specifies.
 */
final class EcdsaSigner implements SignOperation, VerifyOperation {
    private final EcCurves.Curve curve;
    private final EcdsaEngine engine;
    /** Null for raw CKM_ECDSA, whose single part is the hash itself. */
    private final MessageDigest digest;
    private final PartBuffer raw;

    private EcdsaSigner(EcCurves.Curve curve, EcdsaEngine engine, MessageDigest digest, PartBuffer raw) {
        this.curve = curve;
        this.engine = engine;
        this.digest = digest;
        this.raw = raw;
    }

    private static EcdsaSigner create(EcCurves.Curve curve, EcdsaEngine engine, HashAlg hash) {
        return new EcdsaSigner(curve, engine, hash == null ? null : hash.newJcaDigest(), hash == null ? new PartBuffer() : null);
    }

    /** The one place the backend is chosen for ECDSA. */
    static EcdsaSigner forSigning(KeyView key, HashAlg hash) {
        EcKeys.Private k = EcKeys.privateKey(key);
        EcdsaEngine engine = CryptoBackend.accp().<EcdsaEngine>map(p -> AccpEcdsa.signer(p, key, k)).orElseGet(() -> BcEcdsa.signer(k));
        return create(k.curve(), engine, hash);
    }

    static EcdsaSigner forVerifying(KeyView key, HashAlg hash) {
        EcKeys.Public k = EcKeys.publicKey(key);
        EcdsaEngine engine = CryptoBackend.accp().<EcdsaEngine>map(p -> AccpEcdsa.verifier(p, key, k)).orElseGet(() -> BcEcdsa.verifier(k));
        return create(k.curve(), engine, hash);
    }

    /** A copy is a fresh engine over the same key and the copied input. */
    @Override
    public EcdsaSigner copy() {
        return new EcdsaSigner(curve, engine.copy(), SavedStates.copy(digest), raw == null ? null : raw.copy());
    }

    @Override
    public void update(byte[] part) {
        if (digest != null) {
            digest.update(part);
        } else {
            raw.append(part);
        }
    }

    /** The value to sign. For raw ECDSA PKCS#11 takes input of any length; the engines truncate it (FIPS 186-4 §6.4). */
    private byte[] hash() {
        return digest != null ? digest.digest() : raw.toArray();
    }

    @Override
    public int signatureLength() {
        return 2 * curve.orderBytes();
    }

    @Override
    public byte[] sign() {
        return engine.sign(hash());
    }

    @Override
    public void verify(byte[] signature) {
        int n = curve.orderBytes();
        if (signature.length != 2 * n) {
            throw new CkException(CKR.SIGNATURE_LEN_RANGE, "ECDSA signature must be " + 2 * n + " bytes");
        }
        if (!engine.verify(hash(), signature)) {
            throw new CkException(CKR.SIGNATURE_INVALID);
        }
    }

    @Override
    public boolean multiPart() {
        return digest != null;
    }
}
