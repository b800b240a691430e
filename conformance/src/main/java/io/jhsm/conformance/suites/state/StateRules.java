package io.jhsm.conformance.suites.state;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.conformance.suites.state.Call.Kind;
import io.jhsm.conformance.suites.state.Call.Out;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.Cryptoki;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Model-based rules: random call sequences checked call by call against {@link Model}. */
public final class StateRules {
    private StateRules() {}

    public static List<Rule> rules() {
        return List.of(
                new Rule("state.sessions-and-login", "state machine", "PKCS#11 3.0 §5.5–5.6, §5.6.6–5.6.8 (C_Login, C_Logout)",
                        "Session states follow C_OpenSession/C_CloseSession/C_CloseAllSessions/C_Login/C_Logout, and every call "
                                + "answers the CK_RV the specification lists for the state it is made in.",
                        ctx -> run(ctx, 80, false, false)),
                new Rule("state.object-visibility", "state machine", "PKCS#11 3.0 §4.4, §5.7 (object functions)",
                        "Session objects live as long as their session, private objects are visible only to the logged-in user "
                                + "and private session objects die at C_Logout; token objects need a R/W session.",
                        ctx -> run(ctx, 80, true, false)),
                new Rule("state.active-operations", "state machine", "PKCS#11 3.0 §5.2, §5.8–5.12",
                        "One operation of a kind at a time; an error other than CKR_BUFFER_TOO_SMALL ends it; a single-part call "
                                + "after an update is CKR_OPERATION_ACTIVE; a length query keeps it; a NULL mechanism cancels it (3.0).",
                        ctx -> run(ctx, 80, false, true)));
    }

    private static void run(RuleContext ctx, int examples, boolean objects, boolean operations) {
        Cryptoki p = ctx.p();
        boolean so = ctx.target().soPin() != null;
        boolean cancel = operations && ctx.cryptoki30();
        if (operations) {
            ctx.requireMechanisms(CKM.SHA256, CKM.AES_ECB);
        }
        long setup = ctx.userSession();
        long key = operations ? p.C_CreateObject(setup, Keys.list(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, io.jhsm.pkcs11.CKK.AES), Attribute.of(CKA.TOKEN, true),
                Attribute.of(CKA.PRIVATE, false), Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.VALUE, new byte[16]),
                Attribute.of(CKA.LABEL, "conformance-state-key"))) : 0;
        AtomicInteger run = new AtomicInteger();
        try {
            ctx.qt(examples).forAll(lists().of(call(so, objects, operations, cancel)).ofSizeBetween(1, 30))
                    .checkAssert(calls -> {
                        String tag = "conformance-sm-" + ctx.seed() + "-" + run.incrementAndGet();
                        p.C_CloseAllSessions(ctx.slot());
                        try {
                            new Machine(p, ctx.slot(), ctx.target().userPin(), ctx.target().soPin(), key, tag).run(calls);
                        } finally {
                            cleanUp(ctx, tag);
                        }
                    });
        } finally {
            if (operations) {
                long s = ctx.userSession();
                Expect.rvOf(() -> p.C_DestroyObject(s, Keys.find(p, s, "conformance-state-key", CKO.SECRET_KEY)));
            }
        }
    }

    /** Token objects a sequence left behind are destroyed so later sequences and rules start clean. */
    private static void cleanUp(RuleContext ctx, String tag) {
        Cryptoki p = ctx.p();
        p.C_CloseAllSessions(ctx.slot());
        long s = ctx.userSession();
        p.C_FindObjectsInit(s, List.of(Attribute.of(CKA.APPLICATION, tag)));
        long[] left = p.C_FindObjects(s, 256);
        p.C_FindObjectsFinal(s);
        for (long o : left) {
            p.C_DestroyObject(s, o);
        }
        p.C_CloseAllSessions(ctx.slot());
    }

    private static Gen<Call> call(boolean so, boolean objects, boolean operations, boolean cancel) {
        Gen<Integer> s = integers().between(0, 5);
        Gen<Boolean> b = booleans().all();
        List<Pair<Integer, Gen<Call>>> choices = new ArrayList<>();
        choices.add(Pair.of(6, b.map(rw -> new Call.Open(rw))));
        choices.add(Pair.of(2, s.map(x -> new Call.Close(x))));
        choices.add(Pair.of(1, Generate.constant(new Call.CloseAll())));
        choices.add(Pair.of(3, s.zip(so ? b : Generate.constant(false), (x, y) -> new Call.Login(x, y))));
        choices.add(Pair.of(2, s.map(x -> new Call.Logout(x))));
        choices.add(Pair.of(2, s.map(x -> new Call.Info(x))));
        if (objects) {
            choices.add(Pair.of(5, s.zip(b, b, (x, t, pr) -> new Call.Create(x, t, pr))));
            choices.add(Pair.of(3, s.zip(integers().between(0, 9), (x, o) -> new Call.Destroy(x, o))));
            choices.add(Pair.of(3, s.map(x -> new Call.Find(x))));
        }
        if (operations) {
            Gen<Kind> k = Generate.enumValues(Kind.class);
            Gen<Out> out = Generate.enumValues(Out.class);
            choices.add(Pair.of(5, s.zip(k, (x, y) -> new Call.OpInit(x, y))));
            choices.add(Pair.of(4, s.zip(k, (x, y) -> new Call.OpUpdate(x, y))));
            choices.add(Pair.of(4, s.zip(k, out, (x, y, z) -> new Call.OpFinal(x, y, z))));
            choices.add(Pair.of(4, s.zip(k, out, b, (x, y, z, w) -> new Call.OpOnce(x, y, z, w))));
            choices.add(Pair.of(1, s.map(x -> new Call.Find(x))));
            if (cancel) {
                choices.add(Pair.of(2, s.zip(k, (x, y) -> new Call.OpCancel(x, y))));
            }
        }
        return Generate.frequency(choices);
    }
}
