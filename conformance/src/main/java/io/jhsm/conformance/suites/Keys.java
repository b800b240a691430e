package io.jhsm.conformance.suites;

import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keys the rules work with. Generated key pairs are token objects made once per target and found
 * again by label in every rule: PKCS#11 lets private-object handles lapse at logout, so a handle is
 * never carried from one rule (one login) to the next.
 */
public final class Keys {
    private Keys() {}

    public static final byte[] P256 = Oracle.hex("06082a8648ce3d030107");
    public static final byte[] P384 = Oracle.hex("06052b81040022");

    public static List<Attribute> list(Attribute... attributes) {
        return new ArrayList<>(Arrays.asList(attributes));
    }

    /** An AES session key with a value the test knows, so Bouncy Castle can use the same key. */
    public static long aes(Cryptoki p, long s, byte[] value, Attribute... extra) {
        List<Attribute> t = list(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.VALUE, value));
        t.addAll(Arrays.asList(extra));
        return p.C_CreateObject(s, t);
    }

    /** A generated AES key: its value is known only to the module. */
    public static long generatedAes(Cryptoki p, long s, Attribute... extra) {
        List<Attribute> t = list(Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.VALUE_LEN, 16L));
        t.addAll(Arrays.asList(extra));
        return p.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), t);
    }

    /** {public, private} handles of the shared RSA-2048 pair, generated on first use. */
    public static long[] rsaPair(RuleContext ctx, long s) {
        return pair(ctx, s, "conformance-rsa", () -> ctx.p().C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
                list(Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, "conformance-rsa"), Attribute.of(CKA.VERIFY, true),
                        Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.MODULUS_BITS, 2048L),
                        Attribute.of(CKA.PUBLIC_EXPONENT, BigInteger.valueOf(65537).toByteArray())),
                list(Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, "conformance-rsa"), Attribute.of(CKA.PRIVATE, true),
                        Attribute.of(CKA.SENSITIVE, true), Attribute.of(CKA.SIGN, true), Attribute.of(CKA.DECRYPT, true))));
    }

    public static long[] ecPair(RuleContext ctx, long s, String curve, byte[] params) {
        String label = "conformance-ec-" + curve;
        return pair(ctx, s, label, () -> ctx.p().C_GenerateKeyPair(s, Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                list(Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, label), Attribute.of(CKA.VERIFY, true),
                        Attribute.of(CKA.EC_PARAMS, params)),
                list(Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, label), Attribute.of(CKA.PRIVATE, true),
                        Attribute.of(CKA.SENSITIVE, true), Attribute.of(CKA.SIGN, true))));
    }

    private static long[] pair(RuleContext ctx, long s, String label, java.util.function.Supplier<long[]> generate) {
        // A pair kept from an earlier run (or made by the parent of a rule run in a child process) is reused.
        ctx.shared("pair:" + label, () -> count(ctx.p(), s, label, CKO.PRIVATE_KEY) > 0 ? null : generate.get());
        return new long[] {find(ctx.p(), s, label, CKO.PUBLIC_KEY), find(ctx.p(), s, label, CKO.PRIVATE_KEY)};
    }

    public static long find(Cryptoki p, long s, String label, long objectClass) {
        return find(p, s, label, objectClass, null);
    }

    /** The one object of this class with this label (or, for data objects, CKA_APPLICATION). */
    public static long find(Cryptoki p, long s, String label, long objectClass, String application) {
        List<Attribute> t = list(Attribute.of(CKA.CLASS, objectClass));
        if (label != null) {
            t.add(Attribute.of(CKA.LABEL, label));
        }
        if (application != null) {
            t.add(Attribute.of(CKA.APPLICATION, application));
        }
        p.C_FindObjectsInit(s, t);
        try {
            long[] found = p.C_FindObjects(s, 2);
            if (found.length != 1) {
                throw new AssertionError(found.length + " objects labelled " + label + " of class " + CKO.name(objectClass));
            }
            return found[0];
        } finally {
            p.C_FindObjectsFinal(s);
        }
    }

    private static int count(Cryptoki p, long s, String label, long objectClass) {
        p.C_FindObjectsInit(s, list(Attribute.of(CKA.CLASS, objectClass), Attribute.of(CKA.LABEL, label)));
        try {
            return p.C_FindObjects(s, 2).length;
        } finally {
            p.C_FindObjectsFinal(s);
        }
    }

    public static byte[] value(Cryptoki p, long s, long object, long type) {
        return p.C_GetAttributeValue(s, object, new long[] {type}).get(0).value();
    }
}
