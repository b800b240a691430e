package io.jhsm.conformance.suites.lifecycle;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.jhsm.conformance.abi.NativeCryptoki;
import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.rules.Skip;
import io.jhsm.conformance.suites.Gens;
import io.jhsm.conformance.suites.lifecycle.Calls.Answer;
import io.jhsm.conformance.suites.lifecycle.Calls.Call;
import io.jhsm.conformance.suites.lifecycle.Calls.Fn;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Cryptoki;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The operation lifecycle of PKCS#11 3.0 §5.2 as properties over random call sequences: a length query
 * consumes nothing, and every error other than CKR_BUFFER_TOO_SMALL ends the operation. The AEAD rule is
 * in {@link AeadRule}.
 */
public final class LifecycleRules {
    private LifecycleRules() {}

    static final String SUITE = "operation lifecycle";

    public static List<Rule> rules() {
        return List.of(
                new Rule("lifecycle.length-query-changes-nothing", SUITE, "PKCS#11 3.0 §5.2 (output buffers), §5.8–5.13",
                        "A length query (NULL output buffer) of any call of an encryption, decryption, digest or signature "
                                + "operation, followed by any other call, never changes what that call answers: every call answers "
                                + "as in the same operation without the query.", LifecycleRules::lengthQuery),
                new Rule("lifecycle.error-ends-operation", SUITE, "PKCS#11 3.0 §5.2, §5.8–5.13 (C_Encrypt … \"always terminates\")",
                        "After a call answers an error other than CKR_BUFFER_TOO_SMALL (NULL pulLen, the single-part call after "
                                + "Update, a data length out of range) the operation has ended: its Init succeeds again.",
                        LifecycleRules::errorEnds),
                AeadRule.rule());
    }

    /** A real call, preceded by a length query when {@code query} is not null. */
    record Step(Call query, Call call) {
        String describe(Operation op) {
            return (query == null ? "" : "query " + query.describe(op) + ", then ") + call.describe(op);
        }
    }

    /** One operation's real calls, some preceded by a length query. */
    record Sequence(Operation op, List<Step> steps) {
        @Override
        public String toString() {
            return op + ": " + steps.stream().map(x -> x.describe(op)).collect(Collectors.joining("; "));
        }
    }

    static Gen<Call> calls(Operation op, boolean forQuery) {
        List<Fn> fns = forQuery && !op.updateHasOutput() ? List.of(Fn.SINGLE, Fn.FINAL) : List.of(Fn.values());
        Gen<byte[]> data = Gens.bytes(Generate.pick(List.of(0, 5, 16, 17, 32, 40)));
        return Generate.pick(fns).zip(data, (fn, d) -> new Call(fn, fn == Fn.FINAL ? new byte[0] : d));
    }

    private static List<Operation> offered(RuleContext ctx) {
        List<Operation> ops = java.util.Arrays.stream(Operation.values()).filter(o -> ctx.hasMechanism(o.mechanism)).toList();
        if (ops.isEmpty()) {
            throw new Skip("the module offers none of CKM_AES_CBC_PAD, CKM_AES_CBC, CKM_SHA256, CKM_SHA256_HMAC");
        }
        return ops;
    }

    static Operation.Keys keys(RuleContext ctx, long s) {
        Cryptoki p = ctx.p();
        Random r = new Random(ctx.seed());
        byte[] aes = new byte[16];
        byte[] hmac = new byte[32];
        r.nextBytes(aes);
        r.nextBytes(hmac);
        long a = io.jhsm.conformance.suites.Keys.aes(p, s, aes, Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.DECRYPT, true));
        long h = ctx.hasMechanism(Operation.SIGN.mechanism) ? p.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.VALUE, hmac),
                Attribute.of(CKA.SIGN, true))) : 0;
        return new Operation.Keys(a, h);
    }

    private static void lengthQuery(RuleContext ctx) {
        Cryptoki p = ctx.p();
        long s0 = ctx.userSession();
        Operation.Keys keys = keys(ctx, s0);
        Gen<Sequence> sequences = Generate.pick(offered(ctx)).flatMap(op -> lists().of(calls(op, true).zip(integers().between(0, 1),
                calls(op, false), (q, withQuery, c) -> new Step(withQuery == 1 ? q : null, c))).ofSizeBetween(1, 4)
                .map(st -> new Sequence(op, st)));
        ctx.qt(60).forAll(sequences).describedAs(Sequence::toString).checkAssert(seq -> Expect.run(() -> compare(ctx, keys, seq)));
    }

    /** Runs the sequence with its queries, then the same real calls in a fresh operation, and compares the answers. */
    private static void compare(RuleContext ctx, Operation.Keys keys, Sequence seq) throws Exception {
        Cryptoki p = ctx.p();
        Operation op = seq.op();
        List<Step> st = seq.steps();
        List<Answer> queried = new ArrayList<>();
        ctx.inSession(s -> {
            op.init(p, s, keys);
            for (Step step : st) {
                // A query that fails ends the operation (§5.2): what follows is no longer comparable.
                if (step.query() != null && Calls.query(op, p, s, step.query()).rv() != CKR.OK) {
                    return;
                }
                queried.add(Calls.real(op, p, s, step.call()));
            }
        });
        ctx.inSession(s -> {
            op.init(p, s, keys);
            for (int i = 0; i < queried.size(); i++) {
                Answer plain = Calls.real(op, p, s, st.get(i).call());
                Expect.isTrue(plain.sameAs(queried.get(i)), "call " + (i + 1) + " (" + st.get(i).describe(op) + ") answered "
                        + queried.get(i) + " after the query, but " + plain + " in the same operation without it");
            }
        });
    }

    /** Ways to make a call fail with an error other than CKR_BUFFER_TOO_SMALL. */
    enum Provoke { NULL_LENGTH, SINGLE_AFTER_UPDATE, DATA_LEN_RANGE }

    /** Update calls of an operation, then a call made to fail ({@code fn}: which call gets pulLen NULL). */
    record ErrorCase(Operation op, List<byte[]> updates, Provoke how, Fn fn) {
        @Override
        public String toString() {
            return op + ": " + updates.size() + " Update call(s) of " + updates.stream().map(b -> b.length + " B").toList()
                    + ", then " + how + (how == Provoke.NULL_LENGTH ? " on " + fn : "");
        }
    }

    private static void errorEnds(RuleContext ctx) {
        Cryptoki p = ctx.p();
        long s0 = ctx.userSession();
        Operation.Keys keys = keys(ctx, s0);
        boolean raw = p instanceof NativeCryptoki;
        List<Provoke> provokes = raw ? List.of(Provoke.values()) : List.of(Provoke.SINGLE_AFTER_UPDATE, Provoke.DATA_LEN_RANGE);
        if (!raw) {
            ctx.note("NULL pulLen is not expressible in-process (no C ABI): checked through shared objects only");
        }
        Gen<List<byte[]>> updates = lists().of(Gens.bytes(Generate.pick(List.of(0, 5, 16, 32)))).ofSizeBetween(0, 3);
        Gen<ErrorCase> cases = Generate.pick(offered(ctx)).zip(updates, Generate.pick(provokes), Generate.pick(List.of(Fn.values())),
                ErrorCase::new);
        ctx.qt(60).forAll(cases).describedAs(ErrorCase::toString)
                .checkAssert(c -> Expect.run(() -> ctx.inSession(s -> provoke(p, s, keys, c))));
    }

    /** Makes the case's call fail; unless it answered CKR_OK or CKR_BUFFER_TOO_SMALL, Init must succeed again. */
    private static void provoke(Cryptoki p, long s, Operation.Keys keys, ErrorCase c) {
        Operation op = c.op();
        op.init(p, s, keys);
        for (byte[] part : c.updates()) {
            Calls.real(op, p, s, new Call(Fn.UPDATE, part));
        }
        String what;
        long rv;
        switch (c.how()) {
            case NULL_LENGTH -> {
                Fn f = c.fn() == Fn.UPDATE && !op.updateHasOutput() ? Fn.FINAL : c.fn();
                int index = f == Fn.SINGLE ? op.singleIndex : f == Fn.UPDATE ? op.updateIndex : op.finalIndex;
                what = op.name + (f == Fn.SINGLE ? "" : f == Fn.UPDATE ? "Update" : "Final") + " with pulLen NULL";
                rv = ((NativeCryptoki) p).callWithNullLength(index, s, new byte[16], f != Fn.FINAL);
            }
            case SINGLE_AFTER_UPDATE -> {
                Calls.real(op, p, s, new Call(Fn.UPDATE, new byte[16]));
                what = op.name + " after " + op.name + "Update";
                rv = Calls.real(op, p, s, new Call(Fn.SINGLE, new byte[16])).rv();
            }
            default -> {
                // 15 bytes: not a whole block for CBC decryption; other operations may accept it
                what = op.name + " of 15 bytes";
                rv = Calls.real(op, p, s, new Call(Fn.SINGLE, new byte[15])).rv();
            }
        }
        if (rv != CKR.OK && rv != CKR.BUFFER_TOO_SMALL) {
            long init = Expect.rvOf(() -> op.init(p, s, keys));
            Expect.isTrue(init == CKR.OK, what + " answered " + CKR.name(rv) + ", which ends the operation, but the "
                    + op.name + "Init that followed answered " + CKR.name(init));
        }
    }
}
