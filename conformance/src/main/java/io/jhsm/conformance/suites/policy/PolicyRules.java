package io.jhsm.conformance.suites.policy;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.suites.Gens;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Cryptoki;
import java.util.List;

/** Attribute-policy invariants of PKCS#11 3.0 §4.1–4.9 (key objects) and §5.7 (object functions). */
public final class PolicyRules {
    private PolicyRules() {}

    public static List<Rule> rules() {
        return List.of(
                new Rule("policy.sensitive-value-never-revealed", "attribute policy", "PKCS#11 3.0 §4.8 (CKA_SENSITIVE, CKA_EXTRACTABLE), §5.7",
                        "A sensitive or unextractable key's value is never returned: not by C_GetAttributeValue, not by "
                                + "C_FindObjects matching on CKA_VALUE, not through a C_CopyObject that asks for CKA_SENSITIVE false "
                                + "or CKA_EXTRACTABLE true.",
                        PolicyRules::neverRevealed),
                new Rule("policy.sensitive-on-extractable-off", "attribute policy", "PKCS#11 3.0 §4.8, footnote 11",
                        "Whatever C_SetAttributeValue sequence is tried, CKA_SENSITIVE only turns on and CKA_EXTRACTABLE only off.",
                        PolicyRules::oneWay),
                new Rule("policy.always-sensitive-never-extractable", "attribute policy", "PKCS#11 3.0 §4.8 (CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE)",
                        "CKA_ALWAYS_SENSITIVE and CKA_NEVER_EXTRACTABLE tell the key's history: true only for generated keys "
                                + "that were always sensitive / never extractable, false for imported keys.",
                        PolicyRules::history),
                new Rule("policy.read-only-attributes", "attribute policy", "PKCS#11 3.0 §4.1 (footnote 8: only these may be modified)",
                        "C_SetAttributeValue on CKA_CLASS, CKA_KEY_TYPE, CKA_LOCAL, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE, "
                                + "CKA_KEY_GEN_MECHANISM or CKA_VALUE_LEN is CKR_ATTRIBUTE_READ_ONLY and changes nothing.",
                        ReadOnlyRule::check),
                new Rule("policy.private-objects-need-login", "attribute policy", "PKCS#11 3.0 §4.4 (CKA_PRIVATE), §5.6.8 (C_Logout)",
                        "Private objects are invisible without the user's login: C_FindObjects does not return them and their "
                                + "handles do not read.",
                        ReadOnlyRule::privateInvisible));
    }

    static byte[] value(Cryptoki p, long s, long key) {
        AttributeReading r = p.C_GetAttributeValue(s, key, new long[] {CKA.VALUE}).get(0);
        return r.available() ? r.value() : null;
    }

    private static void neverRevealed(RuleContext ctx) {
        Cryptoki p = ctx.p();
        ctx.userSession();
        ctx.qt(40).forAll(booleans().all(), booleans().all(), booleans().all(), Gens.fixed(16))
                .checkAssert((sensitive, extractable, generated, known) -> Expect.run(() -> ctx.inSession(s -> {
                    Attribute[] flags = {Attribute.of(CKA.SENSITIVE, sensitive), Attribute.of(CKA.EXTRACTABLE, extractable),
                            Attribute.of(CKA.ENCRYPT, true)};
                    long key = generated ? Keys.generatedAes(p, s, flags) : Keys.aes(p, s, known, flags);
                    if (!sensitive && extractable) {
                        return;
                    }
                    AttributeReading r = p.C_GetAttributeValue(s, key, new long[] {CKA.VALUE}).get(0);
                    Expect.equal(CKR.name(CKR.ATTRIBUTE_SENSITIVE), CKR.name(r.rv()), "C_GetAttributeValue(CKA_VALUE) of a locked key");
                    if (!generated) {
                        p.C_FindObjectsInit(s, List.of(Attribute.of(CKA.VALUE, known)));
                        long[] found = p.C_FindObjects(s, 16);
                        p.C_FindObjectsFinal(s);
                        for (long f : found) {
                            Expect.isTrue(f != key, "C_FindObjects matched a locked key on its CKA_VALUE (a guess oracle)");
                        }
                    }
                    for (Attribute loosen : List.of(Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true))) {
                        long[] copy = new long[1];
                        long rv = Expect.rvOf(() -> copy[0] = p.C_CopyObject(s, key, List.of(loosen)));
                        if (rv == CKR.OK) {
                            Expect.isTrue(value(p, s, copy[0]) == null, "C_CopyObject with " + loosen + " made the value readable");
                        }
                    }
                })));
    }

    private static void oneWay(RuleContext ctx) {
        Cryptoki p = ctx.p();
        ctx.userSession();
        ctx.qt(40).forAll(booleans().all(), booleans().all(), lists().of(integers().between(0, 3)).ofSizeBetween(0, 8))
                .checkAssert((sensitive, extractable, changes) -> Expect.run(() -> ctx.inSession(s -> {
                    long key = Keys.generatedAes(p, s, Attribute.of(CKA.SENSITIVE, sensitive), Attribute.of(CKA.EXTRACTABLE, extractable));
                    boolean nowSensitive = sensitive, nowExtractable = extractable;
                    for (int change : changes) {
                        long type = change < 2 ? CKA.SENSITIVE : CKA.EXTRACTABLE;
                        boolean v = change % 2 == 0;
                        long rv = Expect.rvOf(() -> p.C_SetAttributeValue(s, key, List.of(Attribute.of(type, v))));
                        if (type == CKA.SENSITIVE && nowSensitive && !v || type == CKA.EXTRACTABLE && !nowExtractable && v) {
                            Expect.equal(CKR.name(CKR.ATTRIBUTE_READ_ONLY), CKR.name(rv), "loosening " + CKA.name(type));
                        } else if (rv == CKR.OK) {
                            nowSensitive = type == CKA.SENSITIVE ? v : nowSensitive;
                            nowExtractable = type == CKA.EXTRACTABLE ? v : nowExtractable;
                        }
                        Expect.equal(nowSensitive, bool(p, s, key, CKA.SENSITIVE), "CKA_SENSITIVE after " + changes);
                        Expect.equal(nowExtractable, bool(p, s, key, CKA.EXTRACTABLE), "CKA_EXTRACTABLE after " + changes);
                    }
                })));
    }

    private static void history(RuleContext ctx) {
        Cryptoki p = ctx.p();
        ctx.userSession();
        ctx.qt(40).forAll(booleans().all(), booleans().all(), booleans().all(), lists().of(integers().between(0, 1)).ofSizeBetween(0, 3))
                .checkAssert((sensitive, extractable, generated, changes) -> Expect.run(() -> ctx.inSession(s -> {
                    Attribute[] flags = {Attribute.of(CKA.SENSITIVE, sensitive), Attribute.of(CKA.EXTRACTABLE, extractable)};
                    long key = generated ? Keys.generatedAes(p, s, flags) : Keys.aes(p, s, new byte[16], flags);
                    for (int change : changes) {
                        long type = change == 0 ? CKA.SENSITIVE : CKA.EXTRACTABLE;
                        Expect.rvOf(() -> p.C_SetAttributeValue(s, key, List.of(Attribute.of(type, change == 0))));
                    }
                    boolean nowSensitive = bool(p, s, key, CKA.SENSITIVE), nowExtractable = bool(p, s, key, CKA.EXTRACTABLE);
                    Expect.equal(generated && sensitive && nowSensitive, bool(p, s, key, CKA.ALWAYS_SENSITIVE),
                            "CKA_ALWAYS_SENSITIVE (" + (generated ? "generated" : "imported") + ", created sensitive=" + sensitive + ")");
                    Expect.equal(generated && !extractable && !nowExtractable, bool(p, s, key, CKA.NEVER_EXTRACTABLE),
                            "CKA_NEVER_EXTRACTABLE (" + (generated ? "generated" : "imported") + ", created extractable=" + extractable + ")");
                })));
    }

    static boolean bool(Cryptoki p, long s, long object, long type) {
        AttributeReading r = p.C_GetAttributeValue(s, object, new long[] {type}).get(0);
        Expect.isTrue(r.available(), CKA.name(type) + " unreadable: " + CKR.name(r.rv()));
        return r.value()[0] != 0;
    }
}
