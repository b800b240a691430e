package io.jhsm.conformance;

import io.jhsm.conformance.profile.Deviation;
import io.jhsm.conformance.profile.Expectations;
import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Outcome.Status;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.rules.Skip;
import io.jhsm.conformance.target.Target;
import io.jhsm.pkcs11.CkException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs rules one after the other on one target, each from a state with no sessions open. Under a vendor profile
 * a rule the profile documents differently runs as its {@link Deviation}'s probe instead: passing, it is an
 * expected deviation; failing, a failure that names the documented behaviour.
 */
public final class Runner {
    private final Target target;
    private final long seed;
    private final double scale;
    private final PrintStream progress;
    private final Expectations expectations;
    private final Map<String, Object> shared = new HashMap<>();

    public Runner(Target target, long seed, double scale, PrintStream progress) {
        this(target, seed, scale, progress, Expectations.PKCS11);
    }

    public Runner(Target target, long seed, double scale, PrintStream progress, Expectations expectations) {
        this.target = target;
        this.seed = seed;
        this.scale = scale;
        this.progress = progress;
        this.expectations = expectations;
    }

    public List<Outcome> run(List<Rule> rules) {
        List<Outcome> out = new ArrayList<>();
        for (Rule r : rules) {
            out.add(run(r));
        }
        return out;
    }

    public Outcome run(Rule rule) {
        RuleContext ctx = new RuleContext(target, seed, scale, shared);
        ctx.reset();
        Optional<Deviation> deviation = expectations.deviation(rule.id());
        long start = System.nanoTime();
        Status status;
        String detail = "";
        try {
            deviation.map(Deviation::probe).orElse(rule.check()).run(ctx);
            status = deviation.isPresent() ? Status.DEVIATION : Status.PASSED;
            detail = deviation.map(d -> "expected under the " + expectations.profile().text() + " profile: " + d.describe())
                    .orElse("");
        } catch (Skip s) {
            status = Status.SKIPPED;
            detail = s.getMessage();
        } catch (AssertionError e) {
            status = Status.FAILED;
            detail = Report.trimQuickTheories(e.getMessage());
        } catch (CkException e) {
            status = Status.FAILED;
            detail = "unexpected " + e.getMessage() + " at " + where(e);
        } catch (Exception | LinkageError e) {
            status = Status.FAILED;
            detail = e + " at " + where(e);
        } finally {
            ctx.reset();
        }
        if (status == Status.FAILED && deviation.isPresent()) {
            detail = "the " + expectations.profile().text() + " profile expects: " + deviation.get().describe() + "\n" + detail;
        }
        Outcome o = new Outcome(rule, status, detail, List.copyOf(ctx.notes()), (System.nanoTime() - start) / 1_000_000);
        if (progress != null) {
            progress.printf("%-9s %-44s %6d ms%s%n", Report.label(o), rule.id(), o.millis(),
                    status == Status.PASSED ? "" : "  " + firstLine(detail));
        }
        return o;
    }

    private static String where(Throwable e) {
        for (StackTraceElement el : e.getStackTrace()) {
            if (el.getClassName().startsWith("io.jhsm.conformance.suites") || el.getClassName().startsWith("io.jhsm.conformance.profile")) {
                return el.getClassName().replaceFirst(".*\\.", "") + ":" + el.getLineNumber();
            }
        }
        return e.getStackTrace().length > 0 ? e.getStackTrace()[0].toString() : "?";
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
