package io.jhsm.engine.function;

import io.jhsm.engine.mechanism.wrap.KeyEncodings;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * What may be wrapped with what. Every token checks the specification's rules (CKA_EXTRACTABLE,
 * CKA_WRAP_WITH_TRUSTED, CKA_WRAP_TEMPLATE); CloudHSM's owner-only export is checked before, by the
 * caller. A token under the strict key policy ({@link KeyPolicyMode#STRICT}) also closes the
 * key-extraction attacks of Tookan (Bortolozzo, Centenaro, Focardi, Steel, CCS 2010) and Caml Crush:
 * <ul>
 *   <li>a wrapping key must have been generated in the token (CKA_LOCAL) or trusted by the crypto
 *       officer, so nobody outside knows it (imported, unwrapped and planted keys cannot wrap);</li>
 *   <li>a wrapping key must not also decrypt, nor may the private half of a public wrapping key, so a
 *       wrapped blob cannot be decrypted back inside the token;</li>
 *   <li>an unwrapping key must not also encrypt, so nobody can plant a key of their choosing;</li>
 *   <li>the cipher roles only ever turn off ({@code AttributeAccess}), so none of this can be undone later.</li>
 * </ul>
 */
final class WrapPolicy {
    private WrapPolicy() {}

    static void checkWrap(HsmObject wrapping, HsmObject key, KeyPolicyMode policy, Supplier<List<HsmObject>> everyObject) {
        long cls = key.objectClassOrUnknown();
        if (cls != CKO.SECRET_KEY && cls != CKO.PRIVATE_KEY) {
            throw new CkException(CKR.KEY_NOT_WRAPPABLE, "only secret and private keys are wrapped");
        }
        if (!key.flag(CKA.EXTRACTABLE)) {
            throw new CkException(CKR.KEY_UNEXTRACTABLE, "CKA_EXTRACTABLE is false");
        }
        if (key.flag(CKA.WRAP_WITH_TRUSTED) && !wrapping.flag(CKA.TRUSTED)) {
            throw new CkException(CKR.KEY_NOT_WRAPPABLE, "CKA_WRAP_WITH_TRUSTED needs a CKA_TRUSTED wrapping key");
        }
        Attribute required = wrapping.attributes().get(CKA.WRAP_TEMPLATE);
        if (required != null && required.template() != null) {
            for (Attribute r : required.template()) {
                if (!r.equals(key.attributes().get(r.type()))) {
                    throw new CkException(CKR.KEY_NOT_WRAPPABLE, "the key does not match the wrapping key's CKA_WRAP_TEMPLATE");
                }
            }
        }
        if (policy.strict()) {
            checkStrictWrap(wrapping, everyObject);
        }
    }

    private static void checkStrictWrap(HsmObject wrapping, Supplier<List<HsmObject>> everyObject) {
        if (!wrapping.flag(CKA.LOCAL) && !wrapping.flag(CKA.TRUSTED)) {
            throw new CkException(CKR.KEY_FUNCTION_NOT_PERMITTED,
                    "a wrapping key must be generated in the token or trusted by the crypto officer");
        }
        if (wrapping.flag(CKA.DECRYPT)) {
            throw new CkException(CKR.KEY_FUNCTION_NOT_PERMITTED, "a wrapping key must not also decrypt");
        }
        if (wrapping.objectClassOrUnknown() == CKO.PUBLIC_KEY && privateHalfDecrypts(wrapping, everyObject.get())) {
            throw new CkException(CKR.KEY_FUNCTION_NOT_PERMITTED, "the wrapping key's private half can decrypt");
        }
    }

    static void checkUnwrap(HsmObject unwrapping, KeyPolicyMode policy) {
        if (policy.strict() && unwrapping.flag(CKA.ENCRYPT)) {
            throw new CkException(CKR.KEY_FUNCTION_NOT_PERMITTED, "an unwrapping key must not also encrypt");
        }
    }

    /** The private key of the same RSA pair (same modulus) with CKA_DECRYPT, if any. */
    private static boolean privateHalfDecrypts(HsmObject publicKey, List<HsmObject> everyObject) {
        byte[] modulus = publicKey.attribute(CKA.MODULUS);
        if (modulus == null) {
            return false;
        }
        for (HsmObject o : everyObject) {
            if (o.objectClassOrUnknown() == CKO.PRIVATE_KEY && Arrays.equals(modulus, o.attribute(CKA.MODULUS))
                    && o.flag(CKA.DECRYPT)) {
                return true;
            }
        }
        return false;
    }

    /** What C_WrapKey encrypts: a secret key's value, or a private key's PKCS#8 PrivateKeyInfo. */
    static byte[] encoding(HsmObject key) {
        if (key.objectClassOrUnknown() == CKO.PRIVATE_KEY) {
            return KeyEncodings.toPkcs8(key);
        }
        return key.attribute(CKA.VALUE);
    }

    /** The new key's material from an unwrapped encoding; CKA_VALUE_LEN in the template trims padding. */
    static List<Attribute> material(long cls, byte[] encoding, TemplateView template) {
        if (cls == CKO.PRIVATE_KEY) {
            return KeyEncodings.fromPkcs8(encoding);
        }
        if (cls != CKO.SECRET_KEY) {
            throw new CkException(CKR.TEMPLATE_INCONSISTENT, "only secret and private keys are unwrapped");
        }
        byte[] value = encoding;
        if (template.has(CKA.VALUE_LEN)) {
            long len = template.requireLong(CKA.VALUE_LEN);
            if (len <= 0 || len > encoding.length) {
                throw new CkException(CKR.TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN does not fit the unwrapped key");
            }
            value = Arrays.copyOf(encoding, (int) len);
        }
        return List.of(Attribute.of(CKA.VALUE, value));
    }
}
