package io.jhsm.conformance.suites.attacks;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.rules.Skip;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.List;

/**
 * Extraction through the simple derivations of PKCS#11 3.0 §2.43, which copy key bytes into the derived key:
 * the specification itself requires the derived key to keep the protection of every key it copies
 * (§2.43.2: "if either of the two original keys" is sensitive / unextractable, so is the derived key; §2.43.3–
 * 2.43.7 the same for the base key), so these are specification rules. Each derivation asks for a readable
 * key (CKA_SENSITIVE false, CKA_EXTRACTABLE true); a refusal is a pass, noted in the report.
 */
final class DerivationRules {
    private DerivationRules() {}

    /** How the protected key is protected. */
    enum Protection {
        SENSITIVE(true, true), UNEXTRACTABLE(false, false), BOTH(true, false);

        final boolean sensitive;
        final boolean extractable;

        Protection(boolean sensitive, boolean extractable) {
            this.sensitive = sensitive;
            this.extractable = extractable;
        }
    }

    static List<Rule> rules() {
        return List.of(
                new Rule("attack.concatenate-with-protected-key", "key extraction", "PKCS#11 3.0 §2.43.2 (CKM_CONCATENATE_BASE_AND_KEY)",
                        "Concatenating a readable base key with a sensitive and/or unextractable second key (given by handle in the "
                                + "mechanism parameter) never yields a key whose CKA_VALUE can be read: the derived key is sensitive "
                                + "(unextractable) when either original is, and CKA_ALWAYS_SENSITIVE/CKA_NEVER_EXTRACTABLE need both.",
                        DerivationRules::concatenateKey),
                new Rule("attack.derive-keeps-base-protection", "key extraction",
                        "PKCS#11 3.0 §2.43.3–2.43.7 (CONCATENATE_BASE_AND_DATA, DATA_AND_BASE, XOR_BASE_AND_DATA, EXTRACT_KEY_FROM_KEY)",
                        "A key derived by a byte-copying derivation from a sensitive and/or unextractable base key is itself "
                                + "sensitive (unextractable): its CKA_VALUE, which holds the base key's bytes, cannot be read.",
                        DerivationRules::baseBytes));
    }

    private static void concatenateKey(RuleContext ctx) {
        ctx.requireMechanisms(CKM.CONCATENATE_BASE_AND_KEY, CKM.AES_KEY_GEN, CKM.AES_ECB);
        Cryptoki p = ctx.p();
        long s = ctx.userSession();
        for (Protection protection : Protection.values()) {
            long base = p.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET),
                    Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.VALUE, new byte[16]), Attribute.of(CKA.DERIVE, true),
                    Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true)));
            long second = protectedKey(p, s, protection, false);
            check(ctx, p, s, "CKM_CONCATENATE_BASE_AND_KEY with a " + protection + " second key", protection, second,
                    Mechanism.of(CKM.CONCATENATE_BASE_AND_KEY, new MechanismParams.UlongValue(second)), base);
        }
    }

    private static void baseBytes(RuleContext ctx) {
        ctx.requireMechanisms(CKM.AES_KEY_GEN, CKM.AES_ECB);
        List<Mechanism> offered = List.of(
                        Mechanism.of(CKM.CONCATENATE_BASE_AND_DATA, new MechanismParams.DerivationString(new byte[] {1})),
                        Mechanism.of(CKM.CONCATENATE_DATA_AND_BASE, new MechanismParams.DerivationString(new byte[] {1})),
                        Mechanism.of(CKM.XOR_BASE_AND_DATA, new MechanismParams.DerivationString(new byte[16])),
                        Mechanism.of(CKM.EXTRACT_KEY_FROM_KEY, new MechanismParams.UlongValue(0)))
                .stream().filter(m -> ctx.hasMechanism(m.type())).toList();
        if (offered.isEmpty()) {
            throw new Skip("the module offers none of the byte-copying derivations of §2.43.3–2.43.7");
        }
        Cryptoki p = ctx.p();
        long s = ctx.userSession();
        for (Mechanism m : offered) {
            for (Protection protection : Protection.values()) {
                long base = protectedKey(p, s, protection, true);
                check(ctx, p, s, CKM.name(m.type()) + " from a " + protection + " base key", protection, base, m, base);
            }
        }
    }

    /** A generated AES key protected as said; it may encrypt, so a candidate value can be checked against it. */
    private static long protectedKey(Cryptoki p, long s, Protection protection, boolean derive) {
        return Keys.generatedAes(p, s, Attribute.of(CKA.SENSITIVE, protection.sensitive),
                Attribute.of(CKA.EXTRACTABLE, protection.extractable), Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.DERIVE, derive));
    }

    /** Derives a readable-looking key; the protection of {@code target} must carry over to it. */
    private static void check(RuleContext ctx, Cryptoki p, long s, String what, Protection protection, long target,
                              Mechanism m, long base) {
        List<Attribute> template = Keys.list(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET),
                Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
        if (m.type() == CKM.EXTRACT_KEY_FROM_KEY) {
            template.add(Attribute.of(CKA.VALUE_LEN, 16L)); // the others keep every copied byte (no truncation)
        }
        long derived;
        try {
            derived = p.C_DeriveKey(s, m, base, template);
        } catch (CkException e) {
            ctx.note(what + ": refused, " + CKR.name(e.rv()));
            return;
        }
        byte[] value = null;
        try {
            value = Keys.value(p, s, derived, CKA.VALUE);
        } catch (CkException e) {
            Expect.equal(CKR.name(CKR.ATTRIBUTE_SENSITIVE), CKR.name(e.rv()), what + ": reading the derived CKA_VALUE");
        }
        Expect.isTrue(value == null || !Attempt.reveals(p, s, target, value), what + ": the derived key's CKA_VALUE reveals the protected key");
        Expect.isTrue(value == null, what + ": the derived key's CKA_VALUE is readable");
        if (protection.sensitive) {
            Expect.isTrue(bool(p, s, derived, CKA.SENSITIVE), what + ": the derived key is not CKA_SENSITIVE");
        }
        if (!protection.extractable) {
            Expect.isTrue(!bool(p, s, derived, CKA.EXTRACTABLE), what + ": the derived key is CKA_EXTRACTABLE");
        }
        if (m.type() == CKM.CONCATENATE_BASE_AND_KEY) {
            // The base key was made readable, so it never was always-sensitive nor never-extractable; both need both keys.
            Expect.isTrue(!bool(p, s, derived, CKA.ALWAYS_SENSITIVE), what + ": CKA_ALWAYS_SENSITIVE true though the base key never was sensitive");
            Expect.isTrue(!bool(p, s, derived, CKA.NEVER_EXTRACTABLE), what + ": CKA_NEVER_EXTRACTABLE true though the base key is extractable");
        }
        ctx.note(what + ": derived, protected (CKA_VALUE unreadable)");
    }

    private static boolean bool(Cryptoki p, long s, long object, long type) {
        byte[] v = Keys.value(p, s, object, type);
        return v.length > 0 && v[0] != 0;
    }
}
