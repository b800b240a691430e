package io.jhsm.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Outcome.Status;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.Rule.Category;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict: spec violations always count, extracted keys only under --strict; the report keeps them apart. */
class ReportTest {
    static Outcome outcome(String id, Category c, Status s) {
        return new Outcome(new Rule(id, "suite", "spec", "statement", c, ctx -> { }), s, s == Status.FAILED ? "why" : "", List.of(), 1);
    }

    static final List<Outcome> EXTRACTED_ONLY = List.of(outcome("spec.ok", Category.SPEC, Status.PASSED),
            outcome("attack.x", Category.EXTRACTION_RESISTANCE, Status.FAILED));

    @Test
    void anExtractedKeyIsAFailureOnlyUnderStrict() {
        assertEquals(0, Report.failures(EXTRACTED_ONLY, false));
        assertEquals(1, Report.failures(EXTRACTED_ONLY, true));
    }

    @Test
    void aSpecViolationIsAlwaysAFailure() {
        List<Outcome> o = List.of(outcome("spec.bad", Category.SPEC, Status.FAILED));
        assertEquals(1, Report.failures(o, false));
        assertEquals(1, Report.failures(o, true));
    }

    @Test
    void theReportHasOneSectionPerCategoryAndSaysExtracted() {
        String md = Report.markdown("t", "m", 1, EXTRACTED_ONLY);
        int spec = md.indexOf("## Specification");
        int extraction = md.indexOf("## Extraction resistance");
        assertTrue(spec > 0 && extraction > spec, md);
        assertTrue(md.indexOf("`spec.ok`") > spec && md.indexOf("`spec.ok`") < extraction, md);
        assertTrue(md.indexOf("**EXTRACTED** `attack.x`") > extraction, md);
        assertTrue(md.contains("extraction resistance: resisted 0, extracted 1, skipped 0"), md);
    }

    @Test
    void strictIsAFlagWithoutValue() {
        Options o = Options.parse(new String[] {"--module", "m.so", "--strict", "--pin", "1234"});
        assertTrue(o.strict());
        assertEquals("1234", o.pin());
    }
}
