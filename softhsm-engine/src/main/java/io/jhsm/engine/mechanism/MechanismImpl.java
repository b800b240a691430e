package io.jhsm.engine.mechanism;

import io.jhsm.engine.mechanism.kdf.DerivedKeyTemplateException;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import java.util.List;

/**
 * One mechanism (or a family sharing code), answering for the functions its CK_MECHANISM_INFO flags
 * list. Each factory validates the mechanism parameter and the key at init and throws the CK_RV the
 * specification lists (CKR_MECHANISM_PARAM_INVALID, CKR_KEY_TYPE_INCONSISTENT, CKR_KEY_SIZE_RANGE …).
 * What a mechanism does not do it need not override: the engine checks the flags first.
 */
public interface MechanismImpl {

    default CipherOperation encrypt(Mechanism mechanism, KeyView key) {
        throw unsupported(mechanism);
    }

    default CipherOperation decrypt(Mechanism mechanism, KeyView key) {
        throw unsupported(mechanism);
    }

    default SignOperation sign(Mechanism mechanism, KeyView key) {
        throw unsupported(mechanism);
    }

    default VerifyOperation verify(Mechanism mechanism, KeyView key) {
        throw unsupported(mechanism);
    }

    /** C_VerifyRecover: the data recovered from a signature (CKR_SIGNATURE_INVALID when there is none). */
    default byte[] verifyRecover(Mechanism mechanism, KeyView key, byte[] signature) {
        throw unsupported(mechanism);
    }

    default DigestOperation digest(Mechanism mechanism) {
        throw unsupported(mechanism);
    }

    /**
     * C_GenerateKey: the new secret key's material as attributes (CKA_KEY_TYPE, CKA_VALUE, and
     * CKA_VALUE_LEN where the key type has it), from the parameters in the caller's template.
     */
    default List<Attribute> generateKey(Mechanism mechanism, TemplateView template) {
        throw unsupported(mechanism);
    }

    /** C_GenerateKeyPair: the new pair's material, parameters read from the two templates. */
    default GeneratedKeyPair generateKeyPair(Mechanism mechanism, TemplateView publicTemplate, TemplateView privateTemplate) {
        throw unsupported(mechanism);
    }

    /**
     * C_WrapKey: encrypts the target key's encoding ({@code keyEncoding}: CKA_VALUE of a secret key,
     * PKCS#8 PrivateKeyInfo of a private key — the engine prepares it) under the wrapping key.
     */
    default byte[] wrap(Mechanism mechanism, KeyView wrappingKey, byte[] keyEncoding) {
        throw unsupported(mechanism);
    }

    /** C_UnwrapKey: the key encoding inside {@code wrapped}; CKR_WRAPPED_KEY_INVALID when it does not authenticate or decode. */
    default byte[] unwrap(Mechanism mechanism, KeyView unwrappingKey, byte[] wrapped) {
        throw unsupported(mechanism);
    }

    /**
     * C_DeriveKey: the new secret key's material (CKA_VALUE, and CKA_KEY_TYPE when the mechanism
     * fixes it) from the base key, the mechanism parameter and the caller's template (CKA_KEY_TYPE,
     * CKA_VALUE_LEN).
     */
    default List<Attribute> deriveKey(Mechanism mechanism, KeyView baseKey, TemplateView template) {
        throw unsupported(mechanism);
    }

    /**
     * C_DeriveKey for mechanisms whose parameter names further key objects (CKM_CONCATENATE_BASE_AND_KEY,
     * CKM_HKDF_DERIVE with CKF_HKDF_SALT_KEY): {@code keys} resolves those handles. The engine should
     * call this form; mechanisms that need no other key leave it to the three-argument form.
     */
    default List<Attribute> deriveKey(Mechanism mechanism, KeyView baseKey, TemplateView template, KeyLookup keys) {
        return deriveKey(mechanism, baseKey, template);
    }

    /**
     * Whether C_DeriveKey puts the bytes of its keys (or a reversible function of them under a value the caller
     * knows) into the new key — PKCS#11 3.0 §2.43's concatenate, XOR and extract, the encrypt-data derivations —
     * rather than a one-way function: such a key keeps every protection of the keys it came from.
     */
    default boolean copiesKeyBytes() {
        return false;
    }

    /**
     * C_DeriveKey that makes several keys (SP 800-108's CK_DERIVED_KEY array): the material of the
     * key {@code template} describes, then of one key per template in {@code more}, in that order.
     * A failure that one template causes is a {@link DerivedKeyTemplateException} naming it.
     * Mechanisms that make a single key refuse any extra template.
     */
    default List<List<Attribute>> deriveKeys(Mechanism mechanism, KeyView baseKey, TemplateView template,
            List<TemplateView> more, KeyLookup keys) {
        if (!more.isEmpty()) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " derives a single key");
        }
        return List.of(deriveKey(mechanism, baseKey, template, keys));
    }

    /** C_EncapsulateKey, first call: the ciphertext length for this public key (checks the key's type). */
    default int ciphertextLength(Mechanism mechanism, KeyView publicKey) {
        throw unsupported(mechanism);
    }

    /** C_EncapsulateKey: the new secret key's attributes (as for C_DeriveKey) and the ciphertext that carries it. */
    default Encapsulated encapsulate(Mechanism mechanism, KeyView publicKey, TemplateView template) {
        throw unsupported(mechanism);
    }

    /** C_DecapsulateKey: the new secret key's attributes from the ciphertext (CKR_WRAPPED_KEY_LEN_RANGE when it has the wrong length). */
    default List<Attribute> decapsulate(Mechanism mechanism, KeyView privateKey, byte[] ciphertext, TemplateView template) {
        throw unsupported(mechanism);
    }

    private static CkException unsupported(Mechanism mechanism) {
        return new CkException(CKR.MECHANISM_INVALID, CKM.name(mechanism.type()) + " does not do that");
    }
}
