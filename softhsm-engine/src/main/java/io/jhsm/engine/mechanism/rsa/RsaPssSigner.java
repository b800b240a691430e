package io.jhsm.engine.mechanism.rsa;

import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.PartBuffer;
import io.jhsm.engine.mechanism.SavedStates;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.MessageDigest;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PSSSigner;

/**
 * RSASSA-PSS: CKM_RSA_PKCS_PSS over a caller-supplied hash, and CKM_SHAxxx_RSA_PKCS_PSS over data.
 * Both end in BC's raw PSS signer (JCA has no "sign this precomputed hash" PSS) over the key's RSA engine
 * (AWS-LC through ACCP, or BC's); the hashed variants hash with JCA first because its SHA is faster than BC's.
 */
final class RsaPssSigner implements SignOperation, VerifyOperation {

    private final HashAlg hash;
    private final HashAlg mgfHash;
    private final boolean hashesData;
    private final int saltLength;
    private final RsaKeys.Parsed key;
    private final boolean signing;
    private final MessageDigest digest;
    private final PartBuffer input;
    private final PSSSigner signer;
    private final int k;

    private RsaPssSigner(HashAlg hash, HashAlg mgfHash, boolean hashesData, int saltLength, RsaKeys.Parsed key,
                         boolean signing, MessageDigest digest, PartBuffer input) {
        this.hash = hash;
        this.mgfHash = mgfHash;
        this.hashesData = hashesData;
        this.saltLength = saltLength;
        this.key = key;
        this.signing = signing;
        this.k = key.modulusBytes();
        this.digest = digest;
        this.input = input;
        this.signer = PSSSigner.createRawSigner(key.engine(), hash.newBcDigest(), mgfHash.newBcDigest(), saltLength, PSSSigner.TRAILER_IMPLICIT);
        signer.init(signing, signing ? new ParametersWithRandom(key.params(), LazyRandom.get()) : key.params());
    }

    /** The raw PSS signer sees the message hash only at the end, so a copy is a fresh signer over the copied input. */
    @Override
    public RsaPssSigner copy() {
        return new RsaPssSigner(hash, mgfHash, hashesData, saltLength, key, signing, SavedStates.copy(digest), input == null ? null : input.copy());
    }

    /**
     * Checks CK_RSA_PKCS_PSS_PARAMS against the mechanism and key: a hashed mechanism must name its
     * own hash (PKCS#11 CK_RSA_PKCS_PSS_PARAMS.hashAlg), MGF1 may use any hash (the specification
     * sets no rule on it, RFC 8017 allows it), and the salt must fit in the encoded message
     * (emLen ≥ hLen + sLen + 2, RFC 8017 §9.1.1).
     */
    static RsaPssSigner create(Mechanism mechanism, HashAlg mechanismHash, RsaKeys.Parsed key, boolean signing) {
        MechanismParams.Pss p = mechanism.params(MechanismParams.Pss.class);
        HashAlg hash = HashAlg.byCkm(p.hashAlg());
        if (mechanismHash != null && hash != mechanismHash) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " needs hashAlg " + CKM.name(mechanismHash.ckm));
        }
        HashAlg mgfHash = HashAlg.byMgf(p.mgf());
        int emLen = (key.params().getModulus().bitLength() - 1 + 7) / 8;
        if (p.saltLength() < 0 || p.saltLength() > emLen - hash.length - 2) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "salt length " + p.saltLength() + " does not fit this key");
        }
        boolean hashesData = mechanismHash != null;
        return new RsaPssSigner(hash, mgfHash, hashesData, (int) p.saltLength(), key, signing,
                hashesData ? hash.newJcaDigest() : null, hashesData ? null : new PartBuffer());
    }

    @Override
    public void update(byte[] part) {
        if (hashesData) {
            digest.update(part);
        } else {
            input.append(part);
        }
    }

    /** The mHash the raw signer consumes; for CKM_RSA_PKCS_PSS it must be exactly one hash long. */
    private byte[] mHash() {
        if (hashesData) {
            return digest.digest();
        }
        byte[] h = input.toArray();
        if (h.length != hash.length) {
            throw new CkException(CKR.DATA_LEN_RANGE, "CKM_RSA_PKCS_PSS signs a " + hash.length + "-byte hash, got " + h.length);
        }
        return h;
    }

    @Override
    public int signatureLength() {
        return k;
    }

    @Override
    public byte[] sign() {
        byte[] h = mHash();
        signer.update(h, 0, h.length);
        try {
            return BigInts.pad(signer.generateSignature(), k);
        } catch (CryptoException e) {
            throw new CkException(CKR.GENERAL_ERROR, "PSS signing", e);
        }
    }

    @Override
    public void verify(byte[] signature) {
        byte[] h = mHash();
        if (signature.length != k) {
            throw new CkException(CKR.SIGNATURE_LEN_RANGE, "RSA signature must be " + k + " bytes");
        }
        signer.update(h, 0, h.length);
        boolean ok;
        try {
            ok = signer.verifySignature(signature);
        } catch (RuntimeException e) {
            ok = false; // e.g. a signature value not below the modulus
        }
        if (!ok) {
            throw new CkException(CKR.SIGNATURE_INVALID);
        }
    }

    @Override
    public boolean multiPart() {
        return hashesData;
    }
}
