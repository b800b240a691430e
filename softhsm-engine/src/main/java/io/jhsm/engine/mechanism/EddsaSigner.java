package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.Ed25519ctxSigner;
import org.bouncycastle.crypto.signers.Ed25519phSigner;
import org.bouncycastle.crypto.signers.Ed448Signer;
import org.bouncycastle.crypto.signers.Ed448phSigner;

/**
 * CKM_EDDSA over BC. Without a parameter: Ed25519 or Ed448 (empty context). With CK_EDDSA_PARAMS:
 * phFlag selects Ed25519ph/Ed448ph, and a context selects Ed25519ctx (RFC 8032 §5.1 has no
 * Ed25519ctx with an empty context, so that case stays plain Ed25519). Single-part, as in the
 * specification: pure EdDSA hashes the message twice, so it must see all of it.
 */
final class EddsaSigner implements SignOperation, VerifyOperation {
    private static final int MAX_CONTEXT = 255;

    private final Signer signer;
    private final int signatureBytes;

    private EddsaSigner(Signer signer, int signatureBytes) {
        this.signer = signer;
        this.signatureBytes = signatureBytes;
    }

    static EddsaSigner forSigning(Mechanism mechanism, KeyView key) {
        ModernKeys.Private k = ModernKeys.privateKey(key, CKK.EC_EDWARDS);
        return create(mechanism, k.curve(), true, k.params());
    }

    static EddsaSigner forVerifying(Mechanism mechanism, KeyView key) {
        ModernKeys.Public k = ModernKeys.publicKey(key, CKK.EC_EDWARDS);
        return create(mechanism, k.curve(), false, k.params());
    }

    private static EddsaSigner create(Mechanism mechanism, ModernCurves curve, boolean forSigning, CipherParameters key) {
        boolean prehash = false;
        byte[] context = new byte[0];
        if (mechanism.params() != null) {
            MechanismParams.Eddsa p = mechanism.params(MechanismParams.Eddsa.class);
            prehash = p.prehash();
            context = p.context() == null ? new byte[0] : p.context();
            if (context.length > MAX_CONTEXT) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "EdDSA context longer than 255 bytes");
            }
        }
        Signer s;
        if (curve == ModernCurves.ED25519) {
            s = prehash ? new Ed25519phSigner(context) : context.length > 0 ? new Ed25519ctxSigner(context) : new Ed25519Signer();
        } else {
            s = prehash ? new Ed448phSigner(context) : new Ed448Signer(context);
        }
        s.init(forSigning, key);
        return new EddsaSigner(s, curve.signatureBytes);
    }

    @Override
    public void update(byte[] part) {
        signer.update(part, 0, part.length);
    }

    @Override
    public byte[] sign() {
        try {
            return signer.generateSignature();
        } catch (org.bouncycastle.crypto.CryptoException e) {
            throw new CkException(CKR.GENERAL_ERROR, "EdDSA signing", e);
        }
    }

    @Override
    public void verify(byte[] signature) {
        if (signature.length != signatureBytes) {
            throw new CkException(CKR.SIGNATURE_LEN_RANGE, "EdDSA signature must be " + signatureBytes + " bytes");
        }
        if (!signer.verifySignature(signature)) {
            throw new CkException(CKR.SIGNATURE_INVALID);
        }
    }

    @Override
    public boolean multiPart() {
        return false;
    }

    /** BC's EdDSA signers buffer the message privately and offer no copy. */
    @Override
    public EddsaSigner copy() {
        throw SavedStates.unsaveable();
    }
}
