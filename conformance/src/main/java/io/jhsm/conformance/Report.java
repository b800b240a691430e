package io.jhsm.conformance;

import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Outcome.Status;
import io.jhsm.conformance.rules.Rule.Category;
import io.jhsm.engine.profile.TokenProfile;
import java.util.List;

/**
 * The Markdown report and the console summary: specification rules and extraction-resistance rules in
 * sections of their own, every rule with its status, counterexample or reason.
 */
public final class Report {
    private Report() {}

    /** QuickTheories lists every falsifying value it met; the shrunk one, the cause and the seed are what matter. */
    static String trimQuickTheories(String message) {
        if (message == null) {
            return "assertion failed";
        }
        String m = message;
        int others = m.indexOf("Other found falsifying value(s)");
        int seed = m.indexOf("Seed was");
        if (others >= 0 && seed > others) {
            m = m.substring(0, others) + m.substring(seed);
        }
        return m.strip();
    }

    public static String markdown(String targetName, String module, long seed, List<Outcome> outcomes) {
        return markdown(targetName, module, seed, TokenProfile.PKCS11, outcomes);
    }

    /** The report of a run that expected {@code profile}'s behaviour (its known deviations get a section of their own). */
    public static String markdown(String targetName, String module, long seed, TokenProfile profile, List<Outcome> outcomes) {
        StringBuilder b = new StringBuilder();
        b.append("# PKCS#11 conformance report\n\n");
        b.append("- Target: ").append(targetName).append('\n');
        b.append("- Module: `").append(module).append("`\n");
        b.append("- Profile: ").append(profile.text()).append('\n');
        b.append("- Seed: ").append(seed).append(" (rerun with `--seed ").append(seed).append("`)\n");
        b.append("- ").append(summary(outcomes, Category.SPEC)).append('\n');
        if (profile != TokenProfile.PKCS11) {
            b.append("- ").append(deviations(outcomes, profile)).append('\n');
        }
        b.append("- ").append(summary(outcomes, Category.EXTRACTION_RESISTANCE)).append("\n\n");
        deviationSection(b, outcomes, profile);
        section(b, "Specification", "A failure here violates the PKCS#11 specification.", outcomes, Category.SPEC);
        section(b, "Extraction resistance", "Tookan/Caml Crush-style attacks whose every step the base specification "
                + "allows: a key the attack reads is reported as extracted, a failure only under `--strict`.",
                outcomes, Category.EXTRACTION_RESISTANCE);
        return b.toString();
    }

    private static void section(StringBuilder b, String title, String meaning, List<Outcome> all, Category c) {
        List<Outcome> outcomes = of(all, c);
        if (outcomes.isEmpty()) {
            return;
        }
        b.append("## ").append(title).append("\n\n").append(meaning).append("\n\n");
        b.append("| Rule | Suite | Spec | Status | ms |\n|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            b.append("| `").append(o.rule().id()).append("` | ").append(o.rule().suite()).append(" | ")
                    .append(o.rule().spec()).append(" | ").append(badge(o)).append(" | ").append(o.millis()).append(" |\n");
        }
        b.append('\n');
        for (Outcome o : outcomes) {
            b.append("### ").append(badge(o)).append(" `").append(o.rule().id()).append("`\n\n");
            b.append(o.rule().statement()).append(" (").append(o.rule().spec()).append(")\n\n");
            if (!o.detail().isEmpty()) {
                b.append(o.status() == Status.FAILED ? "Counterexample:\n\n```\n" : "Reason: ")
                        .append(o.detail()).append(o.status() == Status.FAILED ? "\n```\n\n" : "\n\n");
            }
            for (String n : o.notes()) {
                b.append("- ").append(n).append('\n');
            }
            if (!o.notes().isEmpty()) {
                b.append('\n');
            }
        }
    }

    /**
     * The rules the profile's vendor documents differently and the module answered as documented: listed first,
     * with the behaviour and the page, so a reader sees at once what the profile changes.
     */
    private static void deviationSection(StringBuilder b, List<Outcome> all, TokenProfile profile) {
        List<Outcome> deviations = all.stream().filter(o -> o.status() == Status.DEVIATION).toList();
        if (deviations.isEmpty()) {
            return;
        }
        b.append("## Expected deviations (").append(profile.text()).append(" profile)\n\n")
                .append("Rules whose outcome the profile's vendor documents differently; the module answered exactly as "
                        + "documented (anything else is a failure, listed below).\n\n");
        for (Outcome o : deviations) {
            b.append("- `").append(o.rule().id()).append("`: ").append(o.detail()).append('\n');
        }
        b.append('\n');
    }

    /** "expected deviations (cloudhsm profile): 8". */
    static String deviations(List<Outcome> all, TokenProfile profile) {
        return "expected deviations (" + profile.text() + " profile): " + count(all, Status.DEVIATION);
    }

    /** "specification: passed 30, failed 1, skipped 2" or "extraction resistance: resisted 6, extracted 0, skipped 0". */
    static String summary(List<Outcome> all, Category c) {
        List<Outcome> o = of(all, c);
        return c == Category.SPEC
                ? "specification: passed %d, failed %d, skipped %d".formatted(count(o, Status.PASSED), count(o, Status.FAILED),
                        count(o, Status.SKIPPED))
                : "extraction resistance: resisted %d, extracted %d, skipped %d".formatted(count(o, Status.PASSED),
                        count(o, Status.FAILED), count(o, Status.SKIPPED));
    }

    /** The failures that decide the exit status: spec violations, and extractions too under {@code strict}. */
    static long failures(List<Outcome> all, boolean strict) {
        return all.stream().filter(o -> o.status() == Status.FAILED && (strict || o.rule().isSpec())).count();
    }

    /** The word the console and the report use: an extraction-resistance failure is a key "extracted". */
    static String label(Outcome o) {
        if (o.rule().isSpec() || o.status() == Status.SKIPPED || o.status() == Status.DEVIATION) {
            return o.status().name();
        }
        return o.status() == Status.PASSED ? "RESISTED" : "EXTRACTED";
    }

    static long count(List<Outcome> outcomes, Status s) {
        return outcomes.stream().filter(o -> o.status() == s).count();
    }

    private static List<Outcome> of(List<Outcome> outcomes, Category c) {
        return outcomes.stream().filter(o -> o.rule().category() == c).toList();
    }

    private static String badge(Outcome o) {
        String l = label(o).toLowerCase(java.util.Locale.ROOT);
        return o.status() == Status.FAILED ? "**" + l.toUpperCase(java.util.Locale.ROOT) + "**" : l;
    }
}
