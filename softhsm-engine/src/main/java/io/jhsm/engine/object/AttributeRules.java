package io.jhsm.engine.object;

import static io.jhsm.pkcs11.CKA.*;

import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import java.util.HashSet;
import java.util.Set;

/**
 * The attribute tables of the PKCS#11 base specification in one place: which attributes each object
 * class and key type has, which are CK_BBOOL or CK_ULONG, which hold secret key material, and which may
 * be given at creation, at generation, or changed afterwards.
 */
public final class AttributeRules {
    private AttributeRules() {}

    private static final Set<Long> STORAGE = Set.of(CLASS, TOKEN, PRIVATE, MODIFIABLE, LABEL, COPYABLE, DESTROYABLE,
            UNIQUE_ID, JhsmAttributes.OWNER, JhsmAttributes.SHARED_WITH, JhsmAttributes.MANAGE_QUORUM,
            JhsmAttributes.USE_QUORUM);
    private static final Set<Long> DATA = Set.of(APPLICATION, OBJECT_ID, VALUE);
    private static final Set<Long> CERTIFICATE = Set.of(CERTIFICATE_TYPE, TRUSTED, CERTIFICATE_CATEGORY, CHECK_VALUE,
            START_DATE, END_DATE, PUBLIC_KEY_INFO, SUBJECT, ID, ISSUER, SERIAL_NUMBER, VALUE, URL,
            HASH_OF_SUBJECT_PUBLIC_KEY, HASH_OF_ISSUER_PUBLIC_KEY, JAVA_MIDP_SECURITY_DOMAIN, NAME_HASH_ALGORITHM);
    private static final Set<Long> KEY = Set.of(KEY_TYPE, ID, START_DATE, END_DATE, DERIVE, LOCAL, KEY_GEN_MECHANISM,
            ALLOWED_MECHANISMS);
    private static final Set<Long> PUBLIC_KEY = Set.of(SUBJECT, ENCRYPT, VERIFY, VERIFY_RECOVER, WRAP, TRUSTED,
            WRAP_TEMPLATE, PUBLIC_KEY_INFO);
    private static final Set<Long> PRIVATE_KEY = Set.of(SUBJECT, SENSITIVE, DECRYPT, SIGN, SIGN_RECOVER, UNWRAP,
            EXTRACTABLE, ALWAYS_SENSITIVE, NEVER_EXTRACTABLE, WRAP_WITH_TRUSTED, UNWRAP_TEMPLATE, ALWAYS_AUTHENTICATE,
            PUBLIC_KEY_INFO, DERIVE_TEMPLATE);
    private static final Set<Long> SECRET_KEY = Set.of(SENSITIVE, ENCRYPT, DECRYPT, SIGN, VERIFY, WRAP, UNWRAP,
            EXTRACTABLE, ALWAYS_SENSITIVE, NEVER_EXTRACTABLE, CHECK_VALUE, WRAP_WITH_TRUSTED, TRUSTED, WRAP_TEMPLATE,
            UNWRAP_TEMPLATE, DERIVE_TEMPLATE);
    private static final Set<Long> RSA_PUBLIC = Set.of(MODULUS, MODULUS_BITS, PUBLIC_EXPONENT);
    private static final Set<Long> RSA_PRIVATE = Set.of(MODULUS, PUBLIC_EXPONENT, PRIVATE_EXPONENT, PRIME_1, PRIME_2,
            EXPONENT_1, EXPONENT_2, COEFFICIENT);
    private static final Set<Long> EC_PUBLIC = Set.of(EC_PARAMS, EC_POINT);
    private static final Set<Long> EC_PRIVATE = Set.of(EC_PARAMS, VALUE);
    private static final Set<Long> SECRET_VALUE = Set.of(VALUE, VALUE_LEN);
    /** PKCS#11 3.2 post-quantum keys: the parameter set and the FIPS 203/204/205 encodings in CKA_VALUE (and CKA_SEED). */
    private static final Set<Long> PQC_SIGN_PUBLIC = Set.of(PARAMETER_SET, VALUE);
    private static final Set<Long> ML_DSA_PRIVATE = Set.of(PARAMETER_SET, VALUE, SEED);
    /** FIPS 205 defines no key generation seed apart from the private key itself. */
    private static final Set<Long> SLH_DSA_PRIVATE = Set.of(PARAMETER_SET, VALUE);
    private static final Set<Long> ML_KEM_PUBLIC = Set.of(PARAMETER_SET, VALUE, ENCAPSULATE, ENCAPSULATE_TEMPLATE);
    private static final Set<Long> ML_KEM_PRIVATE = Set.of(PARAMETER_SET, VALUE, SEED, DECAPSULATE, DECAPSULATE_TEMPLATE);

    /** The components that reveal a private or secret key: never returned while the key is sensitive or unextractable. */
    private static final Set<Long> SECRET_COMPONENTS = Set.of(VALUE, SEED, PRIVATE_EXPONENT, PRIME_1, PRIME_2, EXPONENT_1,
            EXPONENT_2, COEFFICIENT);

    static final Set<Long> BOOLEANS = Set.of(TOKEN, PRIVATE, MODIFIABLE, COPYABLE, DESTROYABLE, TRUSTED, DERIVE, LOCAL,
            ENCRYPT, DECRYPT, SIGN, SIGN_RECOVER, VERIFY, VERIFY_RECOVER, WRAP, UNWRAP, SENSITIVE, EXTRACTABLE,
            ALWAYS_SENSITIVE, NEVER_EXTRACTABLE, WRAP_WITH_TRUSTED, ALWAYS_AUTHENTICATE, ENCAPSULATE, DECAPSULATE);
    static final Set<Long> ULONGS = Set.of(CLASS, KEY_TYPE, CERTIFICATE_TYPE, CERTIFICATE_CATEGORY, KEY_GEN_MECHANISM,
            VALUE_LEN, MODULUS_BITS, JAVA_MIDP_SECURITY_DOMAIN, NAME_HASH_ALGORITHM, PROFILE_ID, PARAMETER_SET,
            JhsmAttributes.MANAGE_QUORUM, JhsmAttributes.USE_QUORUM);

    /** Set by the token only: a template that names them is CKR_ATTRIBUTE_READ_ONLY. */
    static final Set<Long> TOKEN_ASSIGNED = Set.of(LOCAL, ALWAYS_SENSITIVE, NEVER_EXTRACTABLE, KEY_GEN_MECHANISM,
            UNIQUE_ID, JhsmAttributes.OWNER, JhsmAttributes.SHARED_WITH);

    /** Key material a generating mechanism produces: a C_GenerateKey(Pair) template that gives it is inconsistent. */
    static final Set<Long> GENERATED_MATERIAL = Set.of(VALUE, MODULUS, PRIVATE_EXPONENT, PRIME_1, PRIME_2, EXPONENT_1,
            EXPONENT_2, COEFFICIENT, EC_POINT, CHECK_VALUE, SEED);

    /**
     * Fixed once the object exists (C_SetAttributeValue answers CKR_ATTRIBUTE_READ_ONLY). The base specification
     * marks none of the policy attributes (allowed mechanisms, wrap/unwrap/derive/encapsulate/decapsulate templates) as modifiable, and
     * widening one later would undo the policy the key was made under.
     */
    static final Set<Long> FIXED_AFTER_CREATION;

    static {
        Set<Long> fixed = new HashSet<>(Set.of(CLASS, TOKEN, PRIVATE, MODIFIABLE, DESTROYABLE, KEY_TYPE, VALUE_LEN,
                MODULUS_BITS, CERTIFICATE_TYPE, EC_PARAMS, EC_POINT, MODULUS, PUBLIC_EXPONENT, CHECK_VALUE,
                PUBLIC_KEY_INFO, ALWAYS_AUTHENTICATE, ALLOWED_MECHANISMS, WRAP_TEMPLATE, UNWRAP_TEMPLATE,
                DERIVE_TEMPLATE, ENCAPSULATE_TEMPLATE, DECAPSULATE_TEMPLATE, PARAMETER_SET));
        fixed.addAll(TOKEN_ASSIGNED);
        fixed.addAll(SECRET_COMPONENTS);
        FIXED_AFTER_CREATION = Set.copyOf(fixed);
    }

    /** Whether an object of this class (and key type, for keys) has the attribute at all. */
    public static boolean applies(long objectClass, long keyType, long type) {
        if (STORAGE.contains(type)) {
            return true;
        }
        if (objectClass == CKO.DATA) {
            return DATA.contains(type);
        }
        if (objectClass == CKO.PROFILE) {
            return type == PROFILE_ID;
        }
        if (objectClass == CKO.CERTIFICATE) {
            return CERTIFICATE.contains(type);
        }
        if (objectClass == CKO.PUBLIC_KEY) {
            return KEY.contains(type) || PUBLIC_KEY.contains(type) || publicMaterial(keyType).contains(type);
        }
        if (objectClass == CKO.PRIVATE_KEY) {
            return KEY.contains(type) || PRIVATE_KEY.contains(type) || privateMaterial(keyType).contains(type);
        }
        if (objectClass == CKO.SECRET_KEY) {
            return KEY.contains(type) || SECRET_KEY.contains(type) || SECRET_VALUE.contains(type);
        }
        return false;
    }

    /** Whether the attribute is a secret component of a private or secret key. */
    public static boolean isSecretComponent(long objectClass, long type) {
        return (objectClass == CKO.PRIVATE_KEY || objectClass == CKO.SECRET_KEY) && SECRET_COMPONENTS.contains(type);
    }

    static Set<Long> publicMaterial(long keyType) {
        if (keyType == CKK.RSA) {
            return RSA_PUBLIC;
        }
        if (keyType == CKK.ML_KEM) {
            return ML_KEM_PUBLIC;
        }
        if (isPqcSignature(keyType)) {
            return PQC_SIGN_PUBLIC;
        }
        return isEcLike(keyType) ? EC_PUBLIC : Set.of();
    }

    static Set<Long> privateMaterial(long keyType) {
        if (keyType == CKK.RSA) {
            return RSA_PRIVATE;
        }
        if (keyType == CKK.ML_KEM) {
            return ML_KEM_PRIVATE;
        }
        if (isPqcSignature(keyType)) {
            return keyType == CKK.ML_DSA ? ML_DSA_PRIVATE : SLH_DSA_PRIVATE;
        }
        return isEcLike(keyType) ? EC_PRIVATE : Set.of();
    }

    /** Weierstrass, Edwards and Montgomery keys share the EC attributes: CKA_EC_PARAMS, CKA_EC_POINT, CKA_VALUE. */
    static boolean isEcLike(long keyType) {
        return keyType == CKK.EC || keyType == CKK.EC_EDWARDS || keyType == CKK.EC_MONTGOMERY;
    }

    static boolean isPqcSignature(long keyType) {
        return keyType == CKK.ML_DSA || keyType == CKK.SLH_DSA;
    }

    /** The PKCS#11 3.2 post-quantum key types, which carry CKA_PARAMETER_SET. */
    public static boolean isPqc(long keyType) {
        return keyType == CKK.ML_KEM || isPqcSignature(keyType);
    }

    /** The key types jhsm stores, per class. */
    static boolean knownKeyType(long objectClass, long keyType) {
        if (objectClass == CKO.PUBLIC_KEY || objectClass == CKO.PRIVATE_KEY) {
            return keyType == CKK.RSA || isEcLike(keyType) || isPqc(keyType);
        }
        return objectClass == CKO.SECRET_KEY && SecretKeyTypes.known(keyType);
    }
}
