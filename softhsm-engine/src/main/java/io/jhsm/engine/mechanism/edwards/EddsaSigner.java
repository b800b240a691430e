package io.jhsm.engine.mechanism.edwards;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.PartBuffer;
import io.jhsm.engine.mechanism.SavedStates;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.function.UnaryOperator;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Xof;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.math.ec.rfc8032.Ed448;

/**
 * CKM_EDDSA over BC (plain Ed25519 signing on ACCP where CryptoBackend has it: {@link AccpEd25519}). Without a parameter: Ed25519 or Ed448 (empty context). With CK_EDDSA_PARAMS:
 * phFlag selects Ed25519ph/Ed448ph, and a context selects Ed25519ctx (RFC 8032 §5.1 has no
 * Ed25519ctx with an empty context, so that case stays plain Ed25519). Single-part, as in the
 * specification. The signer keeps the message itself (pure EdDSA hashes it twice, so it needs all of
 * it) or, for the pre-hash forms, the running SHA-512/SHAKE256, and calls BC's one-shot sign/verify
 * at the end: BC's own EdDSA signers keep their buffer private, and this way C_GetOperationState can
 * copy the state.
 */
final class EddsaSigner implements SignOperation, VerifyOperation {
    private static final int MAX_CONTEXT = 255;

    private final CipherParameters key;
    private final ModernCurves curve;
    private final int algorithm;
    private final byte[] context;
    /** The running pre-hash of Ed25519ph/Ed448ph, or null for the pure forms, which buffer. */
    private final Digest prehash;
    private final PartBuffer data;
    /** Plain Ed25519 signing on ACCP (AccpEd25519), or null: BC signs. */
    private final UnaryOperator<byte[]> accpSign;

    private EddsaSigner(CipherParameters key, ModernCurves curve, int algorithm, byte[] context, Digest prehash, PartBuffer data,
            UnaryOperator<byte[]> accpSign) {
        this.accpSign = accpSign;
        this.key = key;
        this.curve = curve;
        this.algorithm = algorithm;
        this.context = context;
        this.prehash = prehash;
        this.data = data;
    }

    static EddsaSigner forSigning(Mechanism mechanism, KeyView key) {
        ModernKeys.Private k = ModernKeys.privateKey(key, CKK.EC_EDWARDS);
        EddsaSigner bc = create(mechanism, k.curve(), k.params());
        // The one place the backend is chosen for EdDSA: pure Ed25519 signing only.
        boolean pureEd25519 = bc.curve == ModernCurves.ED25519 && bc.algorithm == Ed25519.Algorithm.Ed25519;
        UnaryOperator<byte[]> accp = pureEd25519 ? AccpEd25519.signer(key, k) : null;
        return accp == null ? bc : new EddsaSigner(bc.key, bc.curve, bc.algorithm, bc.context, null, bc.data, accp);
    }

    static EddsaSigner forVerifying(Mechanism mechanism, KeyView key) {
        ModernKeys.Public k = ModernKeys.publicKey(key, CKK.EC_EDWARDS);
        return create(mechanism, k.curve(), k.params());
    }

    private static EddsaSigner create(Mechanism mechanism, ModernCurves curve, CipherParameters key) {
        boolean prehash = false;
        byte[] context = new byte[0];
        if (mechanism.params() != null) {
            MechanismParams.Eddsa p = mechanism.params(MechanismParams.Eddsa.class);
            prehash = p.prehash();
            context = p.context() == null ? new byte[0] : p.context().clone();
            if (context.length > MAX_CONTEXT) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "EdDSA context longer than 255 bytes");
            }
        }
        int algorithm;
        Digest digest = null;
        if (curve == ModernCurves.ED25519) {
            algorithm = prehash ? Ed25519.Algorithm.Ed25519ph : context.length > 0 ? Ed25519.Algorithm.Ed25519ctx : Ed25519.Algorithm.Ed25519;
            digest = prehash ? Ed25519.createPrehash() : null;
        } else {
            algorithm = prehash ? Ed448.Algorithm.Ed448ph : Ed448.Algorithm.Ed448;
            digest = prehash ? Ed448.createPrehash() : null;
        }
        return new EddsaSigner(key, curve, algorithm, context, digest, new PartBuffer(), null);
    }

    @Override
    public void update(byte[] part) {
        if (prehash != null) {
            prehash.update(part, 0, part.length);
        } else {
            data.append(part);
        }
    }

    /** What BC's one-shot functions sign: the message, or the 64-byte pre-hash. */
    private byte[] input() {
        if (prehash == null) {
            return data.toArray();
        }
        byte[] ph = new byte[64];
        if (prehash instanceof Xof xof) {
            xof.doFinal(ph, 0, ph.length);
        } else {
            prehash.doFinal(ph, 0);
        }
        return ph;
    }

    /** Plain Ed25519 takes no context at all (BC refuses an empty one); the others take it as given. */
    private byte[] bcContext() {
        return algorithm == Ed25519.Algorithm.Ed25519 && curve == ModernCurves.ED25519 ? null : context;
    }

    @Override
    public int signatureLength() {
        return curve.signatureBytes;
    }

    @Override
    public byte[] sign() {
        byte[] m = input();
        if (accpSign != null) {
            return accpSign.apply(m);
        }
        byte[] sig = new byte[curve.signatureBytes];
        if (key instanceof Ed25519PrivateKeyParameters k) {
            k.sign(algorithm, bcContext(), m, 0, m.length, sig, 0);
        } else if (key instanceof Ed448PrivateKeyParameters k) {
            k.sign(algorithm, bcContext(), m, 0, m.length, sig, 0);
        } else {
            throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "this needs the private key");
        }
        return sig;
    }

    @Override
    public void verify(byte[] signature) {
        if (signature.length != curve.signatureBytes) {
            throw new CkException(CKR.SIGNATURE_LEN_RANGE, "EdDSA signature must be " + curve.signatureBytes + " bytes");
        }
        byte[] m = input();
        boolean valid;
        if (key instanceof Ed25519PublicKeyParameters k) {
            valid = k.verify(algorithm, bcContext(), m, 0, m.length, signature, 0);
        } else if (key instanceof Ed448PublicKeyParameters k) {
            valid = k.verify(algorithm, bcContext(), m, 0, m.length, signature, 0);
        } else {
            throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "this needs the public key");
        }
        if (!valid) {
            throw new CkException(CKR.SIGNATURE_INVALID);
        }
    }

    @Override
    public boolean multiPart() {
        return false;
    }

    /** C_GetOperationState: the buffered message, or a copy of the running pre-hash. */
    @Override
    public EddsaSigner copy() {
        return new EddsaSigner(key, curve, algorithm, context, SavedStates.copy(prehash), data.copy(), accpSign);
    }
}
