package io.jhsm.conformance;

import io.jhsm.conformance.rules.ChildJvm;
import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Outcome.Status;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.rules.Skip;
import io.jhsm.conformance.target.NativeTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a rule of a shared-object target in a child JVM that loads the module itself and opens the same
 * token by label, so a module that crashes under the rule (SoftHSMv2 aborts when threads share a session)
 * fails that rule instead of ending the whole run. In-process targets run the rule directly.
 * The child's protocol: {@code OUTCOME status}, then {@code DETAIL}/{@code NOTE} lines.
 */
public final class ChildProcessRule {
    private ChildProcessRule() {}

    static final long TIMEOUT_SECONDS = 300;

    /** {@code rule}, run in a child process when the target is a shared object. */
    static Rule of(Rule rule) {
        return new Rule(rule.id(), rule.suite(), rule.spec(), rule.statement(), rule.category(), ctx -> {
            if (ctx.target().functions() == null) {
                rule.check().run(ctx);
            } else {
                inChild(ctx, rule.id());
            }
        });
    }

    private static void inChild(RuleContext ctx, String id) throws InterruptedException {
        byte[] so = ctx.target().soPin();
        List<String> args = List.of(id, ctx.target().functions().path(), ctx.p().C_GetTokenInfo(ctx.slot()).label().strip(),
                new String(ctx.target().userPin(), StandardCharsets.UTF_8), so == null ? "" : new String(so, StandardCharsets.UTF_8),
                Long.toString(ctx.seed()), Double.toString(ctx.scale()));
        ctx.reset(); // the child logs in by itself; nothing of this process's state must be in its way
        ChildJvm.Result r = ChildJvm.start(ChildProcessRule.class, ctx.target().childEnvironment(), args).await(TIMEOUT_SECONDS);
        String out = r.output();
        List<String> detail = new ArrayList<>();
        String status = null;
        for (String line : out.lines().toList()) {
            if (line.startsWith("OUTCOME ")) {
                status = line.substring(8);
            } else if (line.startsWith("DETAIL ")) {
                detail.add(line.substring(7));
            } else if (line.startsWith("NOTE ")) {
                ctx.note(line.substring(5));
            }
        }
        if (status == null) {
            throw new AssertionError("the process did not survive the rule (exit " + r.exit() + "):\n" + r.tail());
        }
        switch (Status.valueOf(status)) {
            case SKIPPED -> throw new Skip(String.join("\n", detail));
            case FAILED -> throw new AssertionError(String.join("\n", detail));
            case PASSED -> { }
        }
    }

    /** The child: {@code ChildProcessRule RULE MODULE TOKEN-LABEL PIN SO-PIN SEED SCALE}. */
    public static void main(String[] args) {
        byte[] so = args[4].isEmpty() ? null : args[4].getBytes(StandardCharsets.UTF_8);
        Rule rule = Catalog.plain().stream().filter(r -> r.id().equals(args[0])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no rule " + args[0]));
        try (NativeTarget target = NativeTarget.existing(args[1], args[2], args[3].getBytes(StandardCharsets.UTF_8), so)) {
            Outcome o = new Runner(target, Long.parseLong(args[5]), Double.parseDouble(args[6]), null).run(rule);
            System.out.println("OUTCOME " + o.status());
            o.detail().lines().forEach(l -> System.out.println("DETAIL " + l));
            o.notes().forEach(n -> System.out.println("NOTE " + n.replace('\n', ' ')));
        }
        System.out.flush();
        System.exit(0);
    }
}
