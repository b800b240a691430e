package io.jhsm.engine.mechanism.rsa;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Mechanism;
import java.security.Provider;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Optional;

/**
 * The RSA operations with the backend named (ACCP's provider, or empty for the portable engine), for the
 * timing mains outside this package: the same classes the mechanisms run, keys cached per KeyView as the engine
 * caches them per key object (use one KeyView per backend).
 */
public final class RsaBackends {
    private RsaBackends() {}

    /** CKM_RSA_PKCS (hash null: the caller's DigestInfo) or CKM_SHAxxx_RSA_PKCS. */
    public static SignOperation pkcs1Signer(HashAlg hash, KeyView key, Optional<Provider> backend) {
        return new RsaPkcsSigner(hash == null ? RsaPkcsSigner.Kind.PKCS1 : RsaPkcsSigner.Kind.HASHED, hash, RsaKeys.privateKey(key, 2048, backend), true);
    }

    public static VerifyOperation pkcs1Verifier(HashAlg hash, KeyView key, Optional<Provider> backend) {
        return new RsaPkcsSigner(hash == null ? RsaPkcsSigner.Kind.PKCS1 : RsaPkcsSigner.Kind.HASHED, hash, RsaKeys.verifyingKey(key, backend), false);
    }

    /** CKM_SHAxxx_RSA_PKCS_PSS (hash given) or CKM_RSA_PKCS_PSS (hash null), with the mechanism's CK_RSA_PKCS_PSS_PARAMS. */
    public static SignOperation pssSigner(Mechanism mechanism, HashAlg hash, KeyView key, Optional<Provider> backend) {
        return RsaPssSigner.create(mechanism, hash, RsaKeys.privateKey(key, 2048, backend), true);
    }

    public static VerifyOperation pssVerifier(Mechanism mechanism, HashAlg hash, KeyView key, Optional<Provider> backend) {
        return RsaPssSigner.create(mechanism, hash, RsaKeys.verifyingKey(key, backend), false);
    }

    /** CKM_RSA_PKCS, CKM_RSA_PKCS_OAEP or CKM_RSA_X_509 encryption (public key) or decryption (private key). */
    public static CipherOperation cipher(Mechanism mechanism, KeyView key, boolean encrypt, Optional<Provider> backend) {
        RsaCipher.Padding padding = mechanism.type() == CKM.RSA_PKCS_OAEP ? RsaCipher.Padding.OAEP
                : mechanism.type() == CKM.RSA_PKCS ? RsaCipher.Padding.PKCS1 : RsaCipher.Padding.RAW;
        return new RsaCipher(padding, mechanism, encrypt ? RsaKeys.verifyingKey(key, backend) : RsaKeys.privateKey(key, 2048, backend), encrypt);
    }

    public static RSAPrivateCrtKey generate(Optional<Provider> backend, RSAKeyGenParameterSpec spec) {
        return RsaKeyPairGen.generate(backend.orElse(null), spec);
    }

    /** Single-part C_Sign over {@code op}: one update, then the signature. */
    public static byte[] sign(SignOperation op, byte[] data) {
        op.update(data);
        return op.sign();
    }

    /** Single-part C_Verify over {@code op}: one update, then the check (throws CkException when it fails). */
    public static void verify(VerifyOperation op, byte[] data, byte[] sig) {
        op.update(data);
        op.verify(sig);
    }
}
