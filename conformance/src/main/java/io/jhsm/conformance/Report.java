package io.jhsm.conformance;

import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Outcome.Status;
import java.util.List;

/** The Markdown report: a summary, then every rule with its status, counterexample or reason. */
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
        StringBuilder b = new StringBuilder();
        b.append("# PKCS#11 conformance report\n\n");
        b.append("- Target: ").append(targetName).append('\n');
        b.append("- Module: `").append(module).append("`\n");
        b.append("- Seed: ").append(seed).append(" (rerun with `--seed ").append(seed).append("`)\n");
        b.append("- Passed ").append(count(outcomes, Status.PASSED)).append(", failed ").append(count(outcomes, Status.FAILED))
                .append(", skipped ").append(count(outcomes, Status.SKIPPED)).append("\n\n");
        b.append("| Rule | Suite | Spec | Status | ms |\n|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            b.append("| `").append(o.rule().id()).append("` | ").append(o.rule().suite()).append(" | ")
                    .append(o.rule().spec()).append(" | ").append(badge(o.status())).append(" | ").append(o.millis()).append(" |\n");
        }
        b.append('\n');
        for (Outcome o : outcomes) {
            b.append("## ").append(badge(o.status())).append(" `").append(o.rule().id()).append("`\n\n");
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
        return b.toString();
    }

    static long count(List<Outcome> outcomes, Status s) {
        return outcomes.stream().filter(o -> o.status() == s).count();
    }

    private static String badge(Status s) {
        return switch (s) {
            case PASSED -> "passed";
            case FAILED -> "**FAILED**";
            case SKIPPED -> "skipped";
        };
    }
}
