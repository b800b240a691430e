package io.jhsm.conformance.suites.abi;

import io.jhsm.conformance.rules.ChildJvm;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.rules.Skip;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Robustness at the C ABI, run in a child JVM ({@link AbiProbe}) that loads the module itself: the
 * rule also checks that the process survives, which a crash in this JVM could not report. The child
 * finds the token by label: SoftHSM gives an initialised token a new slot id in every new process.
 */
public final class AbiRules {
    private AbiRules() {}

    public static List<Rule> rules() {
        return List.of(
                rule("abi.calls-outside-initialize", "PKCS#11 3.0 §5.4 (C_Initialize, C_Finalize)",
                        "Before C_Initialize and after C_Finalize calls answer CKR_CRYPTOKI_NOT_INITIALIZED; a second C_Initialize "
                                + "CKR_CRYPTOKI_ALREADY_INITIALIZED; a non-NULL pReserved CKR_ARGUMENTS_BAD; the cycle can repeat."),
                rule("abi.null-pointers", "PKCS#11 3.0 §5.1 (CKR_ARGUMENTS_BAD)",
                        "NULL where the function needs a pointer is CKR_ARGUMENTS_BAD, and the process survives."),
                rule("abi.zero-and-huge-lengths", "PKCS#11 3.0 §5.1, §5.2",
                        "Zero lengths are valid input; lengths far beyond the buffer (2^40, 2^60, ~0) are refused with an error, "
                                + "never read, and the process survives."),
                rule("abi.stale-and-foreign-handles", "PKCS#11 3.0 §5.1 (CKR_SESSION_HANDLE_INVALID, CKR_OBJECT_HANDLE_INVALID)",
                        "Closed sessions, destroyed objects and random handles give the *_HANDLE_INVALID codes."),
                rule("abi.garbage-templates", "PKCS#11 3.0 §4.1, §5.7 (C_CreateObject)",
                        "Random CK_ATTRIBUTE arrays give CKR_OK or a template error code, and the module keeps answering."));
    }

    private static Rule rule(String id, String spec, String statement) {
        return new Rule(id, "C ABI robustness", spec, statement, ctx -> probe(ctx, id));
    }

    private static void probe(RuleContext ctx, String id) throws InterruptedException {
        if (ctx.target().functions() == null) {
            throw new Skip("the C ABI rules need a shared object; this target calls the engine directly");
        }
        ChildJvm.Result r = ChildJvm.start(AbiProbe.class, ctx.target().childEnvironment(), List.of(id, ctx.target().functions().path(),
                ctx.p().C_GetTokenInfo(ctx.slot()).label(), new String(ctx.target().userPin(), StandardCharsets.UTF_8),
                Long.toString(ctx.seed()), Integer.toString(ctx.examples(60)))).await(120);
        List<String> failures = r.output().lines().filter(l -> l.startsWith("FAIL ")).map(l -> l.substring(5)).toList();
        if (!r.output().contains("DONE")) {
            throw new AssertionError("the process did not survive (exit " + r.exit() + "):\n" + r.tail());
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n", failures) + "\nSeed was " + ctx.seed());
        }
    }
}
