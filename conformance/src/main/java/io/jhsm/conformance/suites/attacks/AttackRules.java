package io.jhsm.conformance.suites.attacks;

import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Key-extraction attacks in the style of Tookan (Bortolozzo et al., CCS 2010) and Caml Crush: each
 * tries to learn the value of a sensitive (but extractable) AES key through the API. The rule holds
 * when no attempt reveals it; an attempt the module refuses (including CKR_FUNCTION_NOT_SUPPORTED)
 * is a failed attack and is noted in the report. The base specification allows every step, so these
 * are extraction-resistance rules: a plain token may lose them without violating PKCS#11.
 */
public final class AttackRules {
    private AttackRules() {}

    interface Attack {
        void run(RuleContext ctx, Cryptoki p, long s, long target);
    }

    public static List<Rule> rules() {
        List<Rule> rules = new java.util.ArrayList<>(extraction());
        rules.addAll(DerivationRules.rules());
        return rules;
    }

    private static List<Rule> extraction() {
        return List.of(
                rule("attack.wrap-then-decrypt", "Wrap the sensitive key with a key that may also decrypt, then C_Decrypt the blob.",
                        AttackRules::wrapDecrypt),
                rule("attack.wrap-public-decrypt-private", "Wrap with an RSA public key, then C_Decrypt the blob with its private key.",
                        AttackRules::asymmetric),
                rule("attack.flip-roles-after-use", "Wrap with a key, then set its CKA_WRAP false and CKA_DECRYPT true and decrypt the blob.",
                        AttackRules::flipRoles),
                rule("attack.encrypt-then-unwrap-known-key", "C_Encrypt a known value, C_UnwrapKey it as a wrapping key, wrap the target with it.",
                        AttackRules::plantByUnwrap),
                rule("attack.import-known-wrapping-key", "C_CreateObject a wrapping key of known value and wrap the target with it.",
                        AttackRules::importKnown),
                rule("attack.unwrap-twice-conflicting-roles", "Unwrap one blob twice, once as a wrap-only and once as a decrypt-only key, "
                        + "wrap the target with the first and decrypt with the second.", AttackRules::unwrapTwice));
    }

    private static Rule rule(String id, String attack, Attack body) {
        // Every step of these attacks is allowed by the base specification (a key may both wrap and decrypt,
        // usage flags are modifiable, any extractable key may be wrapped): resisting them is a key policy.
        return new Rule(id, "extraction resistance", "beyond PKCS#11 3.0 §5.18 (C_WrapKey/C_UnwrapKey permit it); Tookan",
                "A sensitive key's value cannot be learnt by this attack: " + attack, Rule.Category.EXTRACTION_RESISTANCE, ctx -> {
                    ctx.requireMechanisms(CKM.AES_ECB);
                    long s = ctx.userSession();
                    long target = Keys.generatedAes(ctx.p(), s, Attribute.of(CKA.SENSITIVE, true),
                            Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.ENCRYPT, true));
                    body.run(ctx, ctx.p(), s, target);
                });
    }

    private static long aesKey(Cryptoki p, long s, Attribute... roles) {
        return Keys.generatedAes(p, s, roles);
    }

    private static byte[] wrap(Cryptoki p, long s, Mechanism m, long wrapping, long key) {
        byte[] blob = new byte[p.C_WrapKey(s, m, wrapping, key, null)];
        return Arrays.copyOf(blob, p.C_WrapKey(s, m, wrapping, key, blob));
    }

    private static byte[] decrypt(Cryptoki p, long s, Mechanism m, long key, byte[] blob) {
        p.C_DecryptInit(s, m, key);
        byte[] out = new byte[p.C_Decrypt(s, blob, null)];
        return Arrays.copyOf(out, p.C_Decrypt(s, blob, out));
    }

    private static List<Attribute> unwrapTemplate(Attribute... roles) {
        List<Attribute> t = Keys.list(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.TOKEN, false));
        t.addAll(Arrays.asList(roles));
        return t;
    }

    private static void wrapDecrypt(RuleContext ctx, Cryptoki p, long s, long target) {
        long k = aesKey(p, s, Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, true));
        Attempt.run(ctx, s, target, "wrap then decrypt", Attempt.SYMMETRIC, m -> decrypt(p, s, m, k, wrap(p, s, m, k, target)));
    }

    private static void asymmetric(RuleContext ctx, Cryptoki p, long s, long target) {
        ctx.requireMechanisms(CKM.RSA_PKCS_KEY_PAIR_GEN, CKM.RSA_PKCS);
        long[] pair = p.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.WRAP, true), Attribute.of(CKA.MODULUS_BITS, 2048L),
                        Attribute.of(CKA.PUBLIC_EXPONENT, BigInteger.valueOf(65537).toByteArray())),
                List.of(Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.DECRYPT, true), Attribute.of(CKA.SENSITIVE, true)));
        Attempt.run(ctx, s, target, "wrap with public, decrypt with private", new Mechanism[] {Mechanism.of(CKM.RSA_PKCS)},
                m -> decrypt(p, s, m, pair[1], wrap(p, s, m, pair[0], target)));
    }

    private static void flipRoles(RuleContext ctx, Cryptoki p, long s, long target) {
        Attempt.run(ctx, s, target, "flip roles after use", Attempt.SYMMETRIC, m -> {
            long k = aesKey(p, s, Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false));
            byte[] blob = wrap(p, s, m, k, target);
            p.C_SetAttributeValue(s, k, List.of(Attribute.of(CKA.WRAP, false)));
            p.C_SetAttributeValue(s, k, List.of(Attribute.of(CKA.DECRYPT, true)));
            return decrypt(p, s, m, k, blob);
        });
    }

    private static void plantByUnwrap(RuleContext ctx, Cryptoki p, long s, long target) {
        byte[] known = new byte[16];
        Arrays.fill(known, (byte) 0x5A);
        long k = aesKey(p, s, Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.UNWRAP, true));
        Attempt.run(ctx, s, target, "encrypt then unwrap a known key", Attempt.SYMMETRIC, m -> {
            p.C_EncryptInit(s, m, k); // a module may offer RFC 3394 key wrap as a cipher too
            byte[] blob = new byte[64];
            blob = Arrays.copyOf(blob, p.C_Encrypt(s, known, blob));
            long planted = p.C_UnwrapKey(s, m, k, blob, unwrapTemplate(Attribute.of(CKA.WRAP, true)));
            return Attempt.offline(m, known, wrap(p, s, m, planted, target));
        });
    }

    private static void importKnown(RuleContext ctx, Cryptoki p, long s, long target) {
        byte[] known = new byte[16];
        Arrays.fill(known, (byte) 0x3C);
        Attempt.run(ctx, s, target, "import a known wrapping key", Attempt.SYMMETRIC, m -> {
            long k = Keys.aes(p, s, known, Attribute.of(CKA.WRAP, true));
            return Attempt.offline(m, known, wrap(p, s, m, k, target));
        });
    }

    private static void unwrapTwice(RuleContext ctx, Cryptoki p, long s, long target) {
        long k = aesKey(p, s, Attribute.of(CKA.WRAP, true), Attribute.of(CKA.UNWRAP, true));
        Attempt.run(ctx, s, target, "unwrap twice with conflicting roles", Attempt.SYMMETRIC, m -> {
            long w = aesKey(p, s, Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.SENSITIVE, true));
            byte[] blob = wrap(p, s, m, k, w);
            long wrapper = p.C_UnwrapKey(s, m, k, blob, unwrapTemplate(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false)));
            long decryptor = p.C_UnwrapKey(s, m, k, blob, unwrapTemplate(Attribute.of(CKA.WRAP, false), Attribute.of(CKA.DECRYPT, true)));
            return decrypt(p, s, m, decryptor, wrap(p, s, m, wrapper, target));
        });
    }
}
