package io.jhsm.conformance.suites.policy;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Ulong;
import java.util.Arrays;
import java.util.List;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/** Read-only key attributes, and private objects without login. */
final class ReadOnlyRule {
    private ReadOnlyRule() {}

    private static final List<Long> READ_ONLY = List.of(CKA.CLASS, CKA.KEY_TYPE, CKA.LOCAL, CKA.ALWAYS_SENSITIVE,
            CKA.NEVER_EXTRACTABLE, CKA.KEY_GEN_MECHANISM, CKA.VALUE_LEN);
    private static final List<Long> BOOLEANS = List.of(CKA.LOCAL, CKA.ALWAYS_SENSITIVE, CKA.NEVER_EXTRACTABLE);

    static void check(RuleContext ctx) {
        Cryptoki p = ctx.p();
        ctx.userSession();
        ctx.qt(40).forAll(Generate.pick(READ_ONLY).describedAs(CKA::name), SourceDSL.longs().between(0, 40),
                SourceDSL.booleans().all()).checkAssert((type, value, keepCurrent) -> Expect.run(() -> ctx.inSession(s -> {
                    long key = Keys.generatedAes(p, s);
                    AttributeReading before = p.C_GetAttributeValue(s, key, new long[] {type}).get(0);
                    byte[] attempt = keepCurrent && before.available() ? before.value()
                            : BOOLEANS.contains(type) ? Ulong.encodeBool(value % 2 == 0) : Ulong.encode(value);
                    long rv = Expect.rvOf(() -> p.C_SetAttributeValue(s, key, List.of(Attribute.of(type, attempt))));
                    Expect.equal(CKR.name(CKR.ATTRIBUTE_READ_ONLY), CKR.name(rv), "C_SetAttributeValue(" + CKA.name(type) + ")");
                    AttributeReading after = p.C_GetAttributeValue(s, key, new long[] {type}).get(0);
                    Expect.isTrue(Arrays.equals(before.value(), after.value()), CKA.name(type) + " changed");
                })));
    }

    static void privateInvisible(RuleContext ctx) {
        Cryptoki p = ctx.p();
        String app = "conformance-private-" + ctx.seed();
        long s = ctx.userSession();
        long hidden = p.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.DATA), Attribute.of(CKA.TOKEN, true),
                Attribute.of(CKA.PRIVATE, true), Attribute.of(CKA.APPLICATION, app), Attribute.of(CKA.VALUE, new byte[] {42})));
        try {
            p.C_CloseAllSessions(ctx.slot());
            long pub = p.C_OpenSession(ctx.slot(), CKF.SERIAL_SESSION);
            p.C_FindObjectsInit(pub, List.of());
            long[] all = p.C_FindObjects(pub, 10_000);
            p.C_FindObjectsFinal(pub);
            for (long h : all) {
                Expect.isTrue(h != hidden, "C_FindObjects without login returned a private object");
                AttributeReading priv = p.C_GetAttributeValue(pub, h, new long[] {CKA.PRIVATE}).get(0);
                Expect.isTrue(!priv.available() || priv.value()[0] == 0, "C_FindObjects without login returned a private object");
            }
            long rv = Expect.rvOf(() -> p.C_GetAttributeValue(pub, hidden, new long[] {CKA.VALUE}));
            Expect.isTrue(rv == CKR.OBJECT_HANDLE_INVALID || rv == CKR.USER_NOT_LOGGED_IN,
                    "C_GetAttributeValue of a private object without login: " + CKR.name(rv));
        } finally {
            p.C_CloseAllSessions(ctx.slot());
            long u = ctx.userSession();
            p.C_DestroyObject(u, Keys.find(p, u, null, CKO.DATA, app));
        }
    }
}
