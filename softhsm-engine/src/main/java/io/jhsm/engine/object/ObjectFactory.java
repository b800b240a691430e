package io.jhsm.engine.object;

import static io.jhsm.pkcs11.CKA.*;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Ck;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Ulong;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the full attribute set of a new object — from C_CreateObject's template, from a generating
 * mechanism's key material plus the caller's template, or from a copied object — applying the
 * specification's defaults and refusing what the specification forbids.
 */
public final class ObjectFactory {
    private ObjectFactory() {}

    /**
     * Who is creating the object: the owner recorded on it, whether the crypto officer is logged in, the token's
     * key policy, and the rules its profile adds for new keys.
     */
    public record Creator(String owner, boolean cryptoOfficer, KeyPolicyMode keyPolicy, KeyTemplateRules keyRules) {
        public Creator(String owner, boolean cryptoOfficer, KeyPolicyMode keyPolicy) {
            this(owner, cryptoOfficer, keyPolicy, KeyTemplateRules.SPECIFICATION);
        }
    }

    /** C_CreateObject. */
    public static Map<Long, Attribute> forCreate(List<Attribute> template, Creator creator) {
        Map<Long, Attribute> t = Templates.byType(template);
        long cls = requireClass(t);
        long keyType = keyTypeOf(cls, t);
        if (isKeyClass(cls)) {
            t = Templates.byType(creator.keyRules().template("C_CreateObject", cls, keyType, template));
        }
        checkApplicable(cls, keyType, t, creator);
        if (t.containsKey(VALUE_LEN) || t.containsKey(MODULUS_BITS) && cls == CKO.PUBLIC_KEY) {
            throw new CkException(CKR.TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN and CKA_MODULUS_BITS are derived from the key on import");
        }
        for (long required : requiredOnImport(cls, keyType)) {
            if (!t.containsKey(required)) {
                throw new CkException(CKR.TEMPLATE_INCOMPLETE, "import needs " + CKA.name(required));
            }
        }
        Map<Long, Attribute> object = defaults(cls);
        kemRoleDefaults(cls, keyType, object);
        object.putAll(t);
        deriveLengths(cls, keyType, object);
        stamp(object, creator, Origin.IMPORTED, Ck.UNAVAILABLE_INFORMATION, null);
        if (isKeyClass(cls)) {
            creator.keyRules().check("C_CreateObject", object);
        }
        return object;
    }

    /** Where a new key's value came from (imported: created or unwrapped): it decides CKA_LOCAL and the sensitivity history. */
    public enum Origin { GENERATED, IMPORTED, DERIVED }

    /** C_GenerateKey and each half of C_GenerateKeyPair: the mechanism's material merged with the caller's template. */
    public static Map<Long, Attribute> forGenerated(long objectClass, List<Attribute> material, List<Attribute> template,
                                                    long mechanism, Creator creator) {
        return forNewKey(objectClass, material, template, mechanism, creator, Origin.GENERATED, null);
    }

    /**
     * A key made inside the token: key material from a mechanism (generated, unwrapped or derived)
     * merged with the caller's template. A derived key inherits protection and history from the keys it
     * came from ({@code derivation}, null unless {@code origin} is DERIVED), as its mechanism defines.
     */
    public static Map<Long, Attribute> forNewKey(long objectClass, List<Attribute> material, List<Attribute> template,
                                                 long mechanism, Creator creator, Origin origin, Derivation derivation) {
        Map<Long, Attribute> t = Templates.byType(template);
        Attribute cls = t.get(CLASS);
        if (cls != null && cls.asLong() != objectClass) {
            throw new CkException(CKR.TEMPLATE_INCONSISTENT, "CKA_CLASS contradicts the mechanism");
        }
        for (long generated : AttributeRules.GENERATED_MATERIAL) {
            if (t.containsKey(generated)) {
                throw new CkException(CKR.TEMPLATE_INCONSISTENT, CKA.name(generated) + " is made by the mechanism");
            }
        }
        Map<Long, Attribute> m = Templates.byType(material);
        Attribute materialType = m.get(KEY_TYPE);
        Attribute kt = t.get(KEY_TYPE);
        if (materialType == null && kt == null) {
            throw new CkException(CKR.TEMPLATE_INCOMPLETE, "CKA_KEY_TYPE is required");
        }
        long keyType = materialType != null ? materialType.asLong() : kt.asLong();
        if (kt != null && kt.asLong() != keyType) {
            throw new CkException(CKR.TEMPLATE_INCONSISTENT, "CKA_KEY_TYPE contradicts the mechanism");
        }
        if (!AttributeRules.knownKeyType(objectClass, keyType)) {
            throw new CkException(CKR.TEMPLATE_INCONSISTENT, CKK.name(keyType) + " is not a " + CKO.name(objectClass));
        }
        String function = function(origin, objectClass);
        t = Templates.byType(creator.keyRules().template(function, objectClass, keyType, List.copyOf(t.values())));
        checkApplicable(objectClass, keyType, t, creator);
        for (Attribute a : m.values()) {
            Attribute given = t.get(a.type());
            // The public exponent is a number: the caller may encode it with leading zeros.
            if (given != null && !given.equals(a) && a.type() != PUBLIC_EXPONENT) {
                throw new CkException(CKR.TEMPLATE_INCONSISTENT, CKA.name(a.type()) + " contradicts the new key");
            }
        }
        Map<Long, Attribute> object = defaults(objectClass);
        kemRoleDefaults(objectClass, keyType, object);
        object.putAll(t);
        object.putAll(m);
        object.put(CLASS, Attribute.of(CLASS, objectClass));
        object.put(KEY_TYPE, Attribute.of(KEY_TYPE, keyType));
        deriveLengths(objectClass, keyType, object);
        if (origin == Origin.DERIVED) {
            derivation.protect(object, creator.keyPolicy());
        }
        stamp(object, creator, origin, origin == Origin.IMPORTED ? Ck.UNAVAILABLE_INFORMATION : mechanism, derivation);
        creator.keyRules().check(function, object);
        return object;
    }

    /** The PKCS#11 function that makes a key of this origin, as the profile's refusals name it. */
    private static String function(Origin origin, long objectClass) {
        return switch (origin) {
            case GENERATED -> objectClass == CKO.SECRET_KEY ? "C_GenerateKey" : "C_GenerateKeyPair";
            case IMPORTED -> "C_UnwrapKey";
            case DERIVED -> "C_DeriveKey";
        };
    }

    /** C_CopyObject: the source's attributes with the few the template may change. */
    public static Map<Long, Attribute> forCopy(HsmObject source, List<Attribute> template, Creator creator) {
        Map<Long, Attribute> t = Templates.byType(template);
        Map<Long, Attribute> object = new LinkedHashMap<>(source.attributes());
        for (Attribute a : t.values()) {
            long type = a.type();
            boolean copyChoice = type == TOKEN || type == PRIVATE || type == MODIFIABLE || type == DESTROYABLE;
            if (!copyChoice) {
                AttributeAccess.checkChange(source, a, creator);
            }
            object.put(type, a);
        }
        object.put(UNIQUE_ID, Attribute.of(UNIQUE_ID, UUID.randomUUID().toString()));
        object.put(JhsmAttributes.OWNER, Attribute.of(JhsmAttributes.OWNER, creator.owner()));
        return object;
    }

    private static long requireClass(Map<Long, Attribute> t) {
        Attribute cls = t.get(CLASS);
        if (cls == null) {
            throw new CkException(CKR.TEMPLATE_INCOMPLETE, "CKA_CLASS is required");
        }
        long c = cls.asLong();
        if (c != CKO.DATA && c != CKO.CERTIFICATE && c != CKO.PUBLIC_KEY && c != CKO.PRIVATE_KEY && c != CKO.SECRET_KEY) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "objects of class " + CKO.name(c) + " cannot be created");
        }
        return c;
    }

    private static long keyTypeOf(long cls, Map<Long, Attribute> t) {
        if (cls != CKO.PUBLIC_KEY && cls != CKO.PRIVATE_KEY && cls != CKO.SECRET_KEY) {
            return Ck.UNAVAILABLE_INFORMATION;
        }
        Attribute kt = t.get(KEY_TYPE);
        if (kt == null) {
            throw new CkException(CKR.TEMPLATE_INCOMPLETE, "CKA_KEY_TYPE is required");
        }
        if (!AttributeRules.knownKeyType(cls, kt.asLong())) {
            throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "key type " + CKK.name(kt.asLong()) + " is not supported for " + CKO.name(cls));
        }
        return kt.asLong();
    }

    private static void checkApplicable(long cls, long keyType, Map<Long, Attribute> t, Creator creator) {
        for (Attribute a : t.values()) {
            if (!AttributeRules.applies(cls, keyType, a.type())) {
                throw new CkException(CKR.ATTRIBUTE_TYPE_INVALID, CKA.name(a.type()) + " does not belong to " + CKO.name(cls));
            }
            if (AttributeRules.TOKEN_ASSIGNED.contains(a.type())) {
                throw new CkException(CKR.ATTRIBUTE_READ_ONLY, CKA.name(a.type()) + " is set by the token");
            }
            if (a.type() == TRUSTED && a.asBoolean() && !creator.cryptoOfficer()) {
                throw new CkException(CKR.ATTRIBUTE_READ_ONLY, "only the crypto officer may set CKA_TRUSTED");
            }
        }
        if (cls == CKO.CERTIFICATE && !t.containsKey(CERTIFICATE_TYPE)) {
            throw new CkException(CKR.TEMPLATE_INCOMPLETE, "CKA_CERTIFICATE_TYPE is required");
        }
    }

    private static long[] requiredOnImport(long cls, long keyType) {
        if (cls == CKO.SECRET_KEY) {
            return new long[] {VALUE};
        }
        if (cls == CKO.CERTIFICATE) {
            return new long[] {VALUE};
        }
        if (keyType == CKK.RSA) {
            return cls == CKO.PUBLIC_KEY ? new long[] {MODULUS, PUBLIC_EXPONENT} : new long[] {MODULUS, PRIVATE_EXPONENT};
        }
        if (AttributeRules.isEcLike(keyType)) {
            return cls == CKO.PUBLIC_KEY ? new long[] {EC_PARAMS, EC_POINT} : new long[] {EC_PARAMS, VALUE};
        }
        if (AttributeRules.isPqc(keyType)) {
            // A private key may come as CKA_SEED, CKA_VALUE or both: the engine checks that one is there.
            return cls == CKO.PUBLIC_KEY ? new long[] {PARAMETER_SET, VALUE} : new long[] {PARAMETER_SET};
        }
        return new long[0];
    }

    private static void deriveLengths(long cls, long keyType, Map<Long, Attribute> object) {
        if (cls == CKO.SECRET_KEY) {
            int len = object.get(VALUE).value().length;
            if (!SecretKeyTypes.validLength(keyType, len)) {
                throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, len + " bytes is not a valid " + CKK.name(keyType) + " key");
            }
            if (keyType == CKK.DES && !SecretKeyTypes.hasDesParity(object.get(VALUE).value())) {
                throw new CkException(CKR.ATTRIBUTE_VALUE_INVALID, "a DES key must have odd parity in every byte");
            }
            object.put(VALUE_LEN, Attribute.of(VALUE_LEN, (long) len));
        } else if (cls == CKO.PUBLIC_KEY && keyType == CKK.RSA) {
            object.put(MODULUS_BITS, Attribute.of(MODULUS_BITS, (long) new BigInteger(1, object.get(MODULUS).value()).bitLength()));
        }
    }

    /** The attributes only the token sets: locality, provenance, sensitivity history, identity and owner. */
    private static void stamp(Map<Long, Attribute> object, Creator creator, Origin origin, long mechanism, Derivation derivation) {
        boolean local = origin == Origin.GENERATED;
        long cls = object.get(CLASS).asLong();
        object.put(UNIQUE_ID, Attribute.of(UNIQUE_ID, UUID.randomUUID().toString()));
        object.put(JhsmAttributes.OWNER, Attribute.of(JhsmAttributes.OWNER, creator.owner().getBytes(StandardCharsets.UTF_8)));
        if (cls == CKO.PUBLIC_KEY || cls == CKO.PRIVATE_KEY || cls == CKO.SECRET_KEY) {
            object.put(LOCAL, Attribute.of(LOCAL, local));
            object.put(KEY_GEN_MECHANISM, Attribute.of(KEY_GEN_MECHANISM, mechanism));
        }
        if (cls == CKO.PRIVATE_KEY || cls == CKO.SECRET_KEY) {
            boolean sensitive = object.get(SENSITIVE).asBoolean();
            boolean extractable = object.get(EXTRACTABLE).asBoolean();
            boolean history = local || origin == Origin.DERIVED;
            boolean baseAlways = derivation == null || derivation.alwaysSensitive();
            boolean baseNever = derivation == null || derivation.neverExtractable();
            object.put(ALWAYS_SENSITIVE, Attribute.of(ALWAYS_SENSITIVE, history && baseAlways && sensitive));
            object.put(NEVER_EXTRACTABLE, Attribute.of(NEVER_EXTRACTABLE, history && baseNever && !extractable));
        }
        CheckValue.stamp(object);
    }

    /** The specification's defaults; where it leaves them to the token, the safe choice (private, sensitive, unextractable). */
    private static Map<Long, Attribute> defaults(long cls) {
        Map<Long, Attribute> d = new LinkedHashMap<>();
        boolean secretOrPrivate = cls == CKO.PRIVATE_KEY || cls == CKO.SECRET_KEY;
        d.put(CLASS, Attribute.of(CLASS, cls));
        put(d, true, MODIFIABLE, COPYABLE, DESTROYABLE);
        put(d, false, TOKEN);
        d.put(PRIVATE, Attribute.of(PRIVATE, secretOrPrivate));
        d.put(LABEL, Attribute.of(LABEL, new byte[0]));
        if (cls == CKO.DATA) {
            empty(d, APPLICATION, OBJECT_ID, VALUE);
            return d;
        }
        if (cls == CKO.CERTIFICATE) {
            put(d, false, TRUSTED);
            d.put(CERTIFICATE_CATEGORY, Attribute.of(CERTIFICATE_CATEGORY, 0L));
            d.put(JAVA_MIDP_SECURITY_DOMAIN, Attribute.of(JAVA_MIDP_SECURITY_DOMAIN, 0L));
            empty(d, START_DATE, END_DATE, SUBJECT, ID, ISSUER, SERIAL_NUMBER, URL, HASH_OF_SUBJECT_PUBLIC_KEY,
                    HASH_OF_ISSUER_PUBLIC_KEY);
            return d;
        }
        empty(d, ID, START_DATE, END_DATE, ALLOWED_MECHANISMS);
        put(d, false, DERIVE);
        if (cls == CKO.PUBLIC_KEY) {
            empty(d, SUBJECT);
            put(d, true, ENCRYPT, VERIFY, VERIFY_RECOVER, WRAP);
            put(d, false, TRUSTED);
            d.put(WRAP_TEMPLATE, Attribute.ofTemplate(WRAP_TEMPLATE, List.of()));
        } else if (cls == CKO.PRIVATE_KEY) {
            empty(d, SUBJECT);
            put(d, true, SENSITIVE, DECRYPT, SIGN, SIGN_RECOVER, UNWRAP);
            put(d, false, EXTRACTABLE, WRAP_WITH_TRUSTED, ALWAYS_AUTHENTICATE);
            d.put(UNWRAP_TEMPLATE, Attribute.ofTemplate(UNWRAP_TEMPLATE, List.of()));
            d.put(DERIVE_TEMPLATE, Attribute.ofTemplate(DERIVE_TEMPLATE, List.of()));
        } else {
            put(d, true, SENSITIVE, ENCRYPT, DECRYPT, SIGN, VERIFY, WRAP, UNWRAP);
            put(d, false, EXTRACTABLE, WRAP_WITH_TRUSTED, TRUSTED);
            d.put(WRAP_TEMPLATE, Attribute.ofTemplate(WRAP_TEMPLATE, List.of()));
            d.put(UNWRAP_TEMPLATE, Attribute.ofTemplate(UNWRAP_TEMPLATE, List.of()));
            d.put(DERIVE_TEMPLATE, Attribute.ofTemplate(DERIVE_TEMPLATE, List.of()));
        }
        return d;
    }

    /** ML-KEM keys may encapsulate and decapsulate unless the template says otherwise, as RSA keys may encrypt and decrypt. */
    private static void kemRoleDefaults(long cls, long keyType, Map<Long, Attribute> d) {
        if (keyType == CKK.ML_KEM && cls == CKO.PUBLIC_KEY) {
            put(d, true, ENCAPSULATE);
            d.put(ENCAPSULATE_TEMPLATE, Attribute.ofTemplate(ENCAPSULATE_TEMPLATE, List.of()));
        } else if (keyType == CKK.ML_KEM && cls == CKO.PRIVATE_KEY) {
            put(d, true, DECAPSULATE);
            d.put(DECAPSULATE_TEMPLATE, Attribute.ofTemplate(DECAPSULATE_TEMPLATE, List.of()));
        }
    }

    private static void put(Map<Long, Attribute> d, boolean value, long... types) {
        for (long t : types) {
            d.put(t, Attribute.of(t, value));
        }
    }

    private static void empty(Map<Long, Attribute> d, long... types) {
        for (long t : types) {
            d.put(t, Attribute.of(t, new byte[0]));
        }
    }

    static boolean isKeyClass(long cls) {
        return cls == CKO.PUBLIC_KEY || cls == CKO.PRIVATE_KEY || cls == CKO.SECRET_KEY;
    }

    static long ulong(Attribute a) {
        return Ulong.decode(a.value());
    }
}
