package io.jhsm.engine.profile;

import static io.jhsm.pkcs11.CKA.*;

import io.jhsm.engine.diag.ProblemLog;
import io.jhsm.engine.object.AttributeRules;
import io.jhsm.engine.object.KeyTemplateRules;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CloudHSM's rules for the templates of new keys (Client SDK 5: "Attributes tables", "Interpreting error codes"
 * and "Supported key types" of the PKCS#11 library, and known issue ki-pkcs11-6), on every path that makes a
 * key: C_CreateObject, C_GenerateKey, C_GenerateKeyPair, C_UnwrapKey and C_DeriveKey.
 * <ul>
 *   <li>CKA_PRIVATE may only be given at its default, TRUE, on every key type (annotation 1 of the tables);</li>
 *   <li>a standard attribute the tables do not support is CKR_TEMPLATE_INCONSISTENT (the error codes page);</li>
 *   <li>only AES, DES3, EC, GENERIC_SECRET, RSA and ML-DSA keys exist;</li>
 *   <li>what the caller leaves out gets the tables' defaults: private on every key, no usage permitted
 *       (encrypt, decrypt, sign, verify, wrap, unwrap, derive all FALSE), sensitive and extractable;</li>
 *   <li>generated RSA moduli are 2048 to 4096 bits in steps of 256;</li>
 *   <li>CKA_MODULUS_BITS or CKA_PUBLIC_EXPONENT in C_GenerateKeyPair's private template gives, as the known
 *       issue says, a private key with every usage FALSE rather than an error.</li>
 * </ul>
 */
public final class CloudHsmKeyRules implements KeyTemplateRules {
    public static final CloudHsmKeyRules RULES = new CloudHsmKeyRules();

    /** Every attribute some column of the SDK 5 tables lists as supported or read-only. */
    private static final Set<Long> SUPPORTED = Set.of(CLASS, KEY_TYPE, LABEL, ID, LOCAL, TOKEN, PRIVATE, ENCRYPT,
            DECRYPT, DERIVE, MODIFIABLE, DESTROYABLE, SIGN, VERIFY, WRAP, WRAP_TEMPLATE, TRUSTED, WRAP_WITH_TRUSTED,
            UNWRAP, UNWRAP_TEMPLATE, SENSITIVE, ALWAYS_SENSITIVE, EXTRACTABLE, NEVER_EXTRACTABLE, MODULUS,
            MODULUS_BITS, PRIME_1, PRIME_2, EXPONENT_1, EXPONENT_2, COEFFICIENT, PRIVATE_EXPONENT, PUBLIC_EXPONENT,
            EC_PARAMS, EC_POINT, VALUE, VALUE_LEN, CHECK_VALUE, PARAMETER_SET, SEED);

    /** The key types of "Supported key types" (SDK 5), with ML-DSA, which the newest attributes tables list. */
    private static final Set<Long> KEY_TYPES = Set.of(CKK.AES, CKK.DES3, CKK.EC, CKK.GENERIC_SECRET, CKK.RSA, CKK.ML_DSA);

    /** The usage attributes CloudHSM defaults to FALSE, and the known issue turns FALSE. */
    private static final long[] USAGE = {ENCRYPT, DECRYPT, SIGN, VERIFY, WRAP, UNWRAP, DERIVE};

    static final int RSA_MIN_BITS = 2048;
    static final int RSA_MAX_BITS = 4096;
    static final int RSA_STEP_BITS = 256;

    private CloudHsmKeyRules() {}

    @Override
    public List<Attribute> template(String function, long objectClass, long keyType, List<Attribute> template) {
        Map<Long, Attribute> t = new LinkedHashMap<>();
        for (Attribute a : template) {
            t.put(a.type(), a);
        }
        if (!KEY_TYPES.contains(keyType)) {
            throw CloudHsmRefusal.refuse(CKR.ATTRIBUTE_VALUE_INVALID, function,
                    "CloudHSM has no " + CKK.name(keyType) + " keys (it supports AES, DES3, EC, GENERIC_SECRET, RSA, ML-DSA)",
                    "use one of those key types");
        }
        for (Attribute a : t.values()) {
            if (!SUPPORTED.contains(a.type())) {
                throw CloudHsmRefusal.refuse(CKR.TEMPLATE_INCONSISTENT, function,
                        CKA.name(a.type()) + " is a PKCS#11 attribute CloudHSM does not support",
                        "leave it out of the template");
            }
        }
        Attribute priv = t.get(PRIVATE);
        if (priv != null && !priv.asBoolean()) {
            throw CloudHsmRefusal.refuse(CKR.ATTRIBUTE_VALUE_INVALID, function,
                    "CKA_PRIVATE may only be given at its default, TRUE, on every CloudHSM key",
                    "leave CKA_PRIVATE out or set it to TRUE (public keys too)");
        }
        if (knownIssueUnusablePrivateKey(function, objectClass, keyType, t)) {
            t.remove(MODULUS_BITS);
            t.remove(PUBLIC_EXPONENT);
            for (long usage : USAGE) {
                put(t, objectClass, keyType, usage, false);
            }
        }
        List<Attribute> out = new ArrayList<>(t.values());
        addDefaults(out, t, objectClass, keyType);
        return out;
    }

    @Override
    public void check(String function, Map<Long, Attribute> key) {
        boolean generatedRsa = "C_GenerateKeyPair".equals(function)
                && key.get(CLASS).asLong() == CKO.PUBLIC_KEY && key.get(KEY_TYPE).asLong() == CKK.RSA;
        if (!generatedRsa) {
            return;
        }
        long bits = new BigInteger(1, key.get(MODULUS).value()).bitLength();
        if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS || bits % RSA_STEP_BITS != 0) {
            throw CloudHsmRefusal.refuse(CKR.KEY_SIZE_RANGE, function,
                    "CloudHSM generates RSA keys of 2048 to 4096 bits in steps of 256, not " + bits,
                    "ask for CKA_MODULUS_BITS 2048, 2304, ... or 4096");
        }
    }

    /**
     * ki-pkcs11-6: the private template of an RSA key pair with CKA_MODULUS_BITS or CKA_PUBLIC_EXPONENT is not
     * refused but gives a key no operation may use. Reproduced, with a warning saying why the key is useless.
     */
    private static boolean knownIssueUnusablePrivateKey(String function, long objectClass, long keyType, Map<Long, Attribute> t) {
        boolean hit = "C_GenerateKeyPair".equals(function) && objectClass == CKO.PRIVATE_KEY && keyType == CKK.RSA
                && (t.containsKey(MODULUS_BITS) || t.containsKey(PUBLIC_EXPONENT));
        if (hit) {
            ProblemLog.get().warn(function, CloudHsmRefusal.PREFIX + "CKA_MODULUS_BITS or CKA_PUBLIC_EXPONENT in the"
                    + " private template makes CloudHSM generate a private key with every usage FALSE (known issue"
                    + " ki-pkcs11-6); give them in the public template only");
        }
        return hit;
    }

    /** The tables' default values, for what the caller left out and the key can have. */
    private static void addDefaults(List<Attribute> out, Map<Long, Attribute> given, long objectClass, long keyType) {
        Map<Long, Attribute> defaults = new LinkedHashMap<>();
        put(defaults, objectClass, keyType, PRIVATE, true);
        for (long usage : USAGE) {
            put(defaults, objectClass, keyType, usage, false);
        }
        if (objectClass != CKO.PUBLIC_KEY) {
            put(defaults, objectClass, keyType, SENSITIVE, true);
            put(defaults, objectClass, keyType, EXTRACTABLE, true);
        }
        for (Attribute d : defaults.values()) {
            if (!given.containsKey(d.type())) {
                out.add(d);
            }
        }
    }

    private static void put(Map<Long, Attribute> t, long objectClass, long keyType, long type, boolean value) {
        if (AttributeRules.applies(objectClass, keyType, type)) {
            t.put(type, Attribute.of(type, value));
        }
    }
}
