package io.jhsm.engine.mechanism.pqc;

import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.PartBuffer;
import io.jhsm.engine.mechanism.SavedStates;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.pkcs11.CKH;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.SecureRandom;
import org.bouncycastle.crypto.Digest;

/**
 * ML-DSA (FIPS 204) and SLH-DSA (FIPS 205) signatures, pure and pre-hash, as PKCS#11 3.2 defines their
 * mechanisms. The signer builds the message M' the standards sign itself — 0x00||len(ctx)||ctx||M for
 * the pure forms, 0x01||len(ctx)||ctx||OID(hash)||PH(M) for the pre-hash forms — and hands it to the
 * schemes' internal functions, so hedging follows CK_SIGN_ADDITIONAL_CONTEXT exactly: hedged unless
 * the caller requires a deterministic signature.
 */
final class PqcSigner implements SignOperation, VerifyOperation {
    private static final int MAX_CONTEXT = 255;

    /** How the mechanism takes its data. */
    enum Input {
        /** CKM_ML_DSA, CKM_SLH_DSA: the message itself. */
        MESSAGE,
        /** CKM_HASH_ML_DSA_&lt;hash&gt;, CKM_HASH_SLH_DSA_&lt;hash&gt;: the message, hashed on the token. */
        HASHED_ON_TOKEN,
        /** CKM_HASH_ML_DSA, CKM_HASH_SLH_DSA: the caller's digest PH(M), single-part. */
        DIGEST
    }

    /** The scheme's internal sign and verify over a complete M'. */
    interface Scheme {
        byte[] sign(byte[] messagePrime, boolean hedged, SecureRandom random);

        boolean verify(byte[] messagePrime, byte[] signature);

        int signatureBytes();
    }

    private final Scheme scheme;
    private final byte[] context;
    private final boolean hedged;
    private final PreHash hash;
    private final Input input;
    private final Digest digest;
    private final PartBuffer data;
    private final boolean verifying;

    private PqcSigner(Scheme scheme, byte[] context, boolean hedged, PreHash hash, Input input, boolean verifying,
            Digest digest, PartBuffer data) {
        this.scheme = scheme;
        this.context = context;
        this.hedged = hedged;
        this.hash = hash;
        this.input = input;
        this.digest = digest;
        this.data = data;
        this.verifying = verifying;
    }

    /** C_GetOperationState: the buffered message or a copy of the running hash. */
    @Override
    public PqcSigner copy() {
        return new PqcSigner(scheme, context, hedged, hash, input, verifying, SavedStates.copy(digest), data.copy());
    }

    /**
     * The operation for a mechanism: {@code onTokenHash} is the hash of a CKM_HASH_*_&lt;hash&gt;
     * mechanism, or null for the pure and the CKM_HASH_* (caller-hashed) forms, told apart by {@code input}.
     */
    static PqcSigner create(Mechanism mechanism, Scheme scheme, Input input, PreHash onTokenHash, boolean verifying) {
        long hedge = CKH.HEDGE_PREFERRED;
        byte[] context = new byte[0];
        PreHash hash = onTokenHash;
        if (input == Input.DIGEST) {
            MechanismParams.HashSignAdditionalContext p = mechanism.params(MechanismParams.HashSignAdditionalContext.class);
            hedge = p.hedgeVariant();
            context = p.context();
            hash = PreHash.byCkm(p.hash());
        } else if (mechanism.params() != null) {
            MechanismParams.SignAdditionalContext p = mechanism.params(MechanismParams.SignAdditionalContext.class);
            hedge = p.hedgeVariant();
            context = p.context();
        }
        if (context == null) {
            context = new byte[0];
        }
        if (context.length > MAX_CONTEXT) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "context longer than 255 bytes");
        }
        if (hedge != CKH.HEDGE_PREFERRED && hedge != CKH.HEDGE_REQUIRED && hedge != CKH.DETERMINISTIC_REQUIRED) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "unknown hedgeVariant " + hedge);
        }
        return new PqcSigner(scheme, context.clone(), hedge != CKH.DETERMINISTIC_REQUIRED, hash, input, verifying,
                input == Input.HASHED_ON_TOKEN ? hash.newDigest() : null, new PartBuffer());
    }

    @Override
    public void update(byte[] part) {
        if (digest != null) {
            digest.update(part, 0, part.length);
        } else {
            data.append(part);
        }
    }

    @Override
    public int signatureLength() {
        return scheme.signatureBytes();
    }

    @Override
    public byte[] sign() {
        return scheme.sign(messagePrime(), hedged, LazyRandom.get());
    }

    @Override
    public void verify(byte[] signature) {
        if (signature.length != scheme.signatureBytes()) {
            throw new CkException(CKR.SIGNATURE_LEN_RANGE, "signature must be " + scheme.signatureBytes() + " bytes");
        }
        if (!scheme.verify(messagePrime(), signature)) {
            throw new CkException(CKR.SIGNATURE_INVALID);
        }
    }

    /**
     * Single-part only where PKCS#11 3.2 says so: CKM_HASH_ML_DSA/CKM_HASH_SLH_DSA always, and
     * verification with the pure mechanisms through C_VerifyUpdate (their multi-part verification
     * is C_VerifySignatureUpdate's, below).
     */
    @Override
    public boolean multiPart() {
        return input == Input.HASHED_ON_TOKEN || input == Input.MESSAGE && !verifying;
    }

    /** PKCS#11 3.2: pure ML-DSA and SLH-DSA verify in parts once C_VerifySignatureInit gave the signature. */
    @Override
    public boolean multiPartWithSignatureFirst() {
        return input != Input.DIGEST;
    }

    private byte[] messagePrime() {
        byte[] tail;
        byte[] oid = new byte[0];
        if (input == Input.MESSAGE) {
            tail = data.toArray();
        } else {
            oid = hash.oidDer;
            tail = digest != null ? hash.finish(digest) : data.toArray();
            if (tail.length != hash.length) {
                throw new CkException(CKR.DATA_LEN_RANGE, "the pre-hashed data must be " + hash.length + " bytes");
            }
        }
        byte[] m = new byte[2 + context.length + oid.length + tail.length];
        m[0] = (byte) (input == Input.MESSAGE ? 0 : 1);
        m[1] = (byte) context.length;
        System.arraycopy(context, 0, m, 2, context.length);
        System.arraycopy(oid, 0, m, 2 + context.length, oid.length);
        System.arraycopy(tail, 0, m, 2 + context.length + oid.length, tail.length);
        return m;
    }
}
