package io.jhsm.conformance;

import io.jhsm.conformance.profile.Expectations;
import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.Rule.Category;
import io.jhsm.conformance.target.NativeTarget;
import io.jhsm.conformance.target.Target;
import io.jhsm.engine.profile.TokenProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the suite against any PKCS#11 module:
 * {@code java -cp dist/jhsm.jar io.jhsm.conformance.Main --module PATH --pin PIN [--so-pin PIN] [--slot N]
 * [--init-token LABEL] [--report report.md] [--examples SCALE] [--seed S] [--only PREFIX] [--strict]
 * [--profile pkcs11|cloudhsm]}.
 * Exit status: 0 when no specification rule failed (and, with --strict, no key was extracted), 1 otherwise,
 * 2 for a usage error.
 */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: conformance --module PATH --pin PIN [--so-pin PIN] [--slot N | --init-token LABEL]
                               [--report FILE.md] [--examples SCALE] [--seed S] [--only RULE-PREFIX] [--strict]
                               [--profile pkcs11|cloudhsm]
              --module      the PKCS#11 shared object to test
              --pin         the normal user's PIN of an initialised token
              --so-pin      the security officer's PIN (rules that need the SO are skipped without it)
              --slot        the slot holding the token (default: the first slot with an initialised token)
              --init-token  (re)initialise the token in --slot (default: first uninitialised) with this label,
                            setting --so-pin and --pin: DESTROYS the token's objects
              --examples    multiply every property's example count (default 1; 20 for a long run)
              --seed        the QuickTheories seed (printed in every counterexample; default: time)
              --strict      count extraction-resistance failures (keys extracted by attacks the base
                            specification allows) as failures; without it they are only reported
              --profile     what the module should reproduce: pkcs11 (the specification, default) or cloudhsm
                            (AWS CloudHSM's Client SDK 5 library: the rules it documents differently must give
                            exactly its answer and count as expected deviations, not failures)
            """;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("conformance: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        List<Rule> rules = Catalog.all().stream().filter(r -> o.only() == null || r.id().startsWith(o.only())).toList();
        try (Target target = open(o)) {
            System.out.println("Conformance of " + o.module() + " (" + target.name() + "), slot " + target.slot()
                    + ", seed " + o.seed() + ", scale " + o.scale() + ", profile " + o.profile().text());
            Expectations expected = Expectations.of(o.profile());
            List<Outcome> outcomes = new Runner(target, o.seed(), o.scale(), System.out, expected).run(rules);
            String md = Report.markdown(target.name(), o.module(), o.seed(), o.profile(), outcomes);
            if (o.report() != null) {
                Files.writeString(Path.of(o.report()), md);
                System.out.println("report: " + o.report());
            }
            System.out.println(Report.summary(outcomes, Category.SPEC));
            if (o.profile() != TokenProfile.PKCS11) {
                System.out.println(Report.deviations(outcomes, o.profile()));
            }
            System.out.println(Report.summary(outcomes, Category.EXTRACTION_RESISTANCE)
                    + (o.strict() ? " (--strict: extractions count as failures)" : " (failures only with --strict)"));
            long failed = Report.failures(outcomes, o.strict());
            System.out.println(failed == 0 ? "result: conforms" : "result: " + failed + " rule(s) failed");
            return failed == 0 ? 0 : 1;
        } catch (Exception e) {
            System.err.println("conformance: " + e);
            return 2;
        }
    }

    private static Target open(Options o) {
        byte[] user = o.pin().getBytes(StandardCharsets.UTF_8);
        byte[] so = o.soPin() == null ? null : o.soPin().getBytes(StandardCharsets.UTF_8);
        if (o.initLabel() != null && so == null) {
            throw new IllegalArgumentException("--init-token needs --so-pin");
        }
        return new NativeTarget("module " + Path.of(o.module()).getFileName(), o.module(), o.slot(), o.initLabel(),
                user, so, java.util.Map.of());
    }
}
