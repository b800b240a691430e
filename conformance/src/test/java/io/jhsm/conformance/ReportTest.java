package io.jhsm.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Outcome.Status;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.Rule.Category;
import io.jhsm.engine.profile.TokenProfile;
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
    void expectedDeviationsAreCountedApartAndListedWithTheirSource() {
        List<Outcome> o = List.of(outcome("spec.ok", Category.SPEC, Status.PASSED),
                new Outcome(new Rule("policy.x", "suite", "spec", "statement", ctx -> { }), Status.DEVIATION,
                        "expected under the cloudhsm profile: C_X answers CKR_FUNCTION_NOT_SUPPORTED (pkcs11-apis.html)", List.of(), 1));
        assertEquals(0, Report.failures(o, true));
        assertEquals("DEVIATION", Report.label(o.get(1)));
        assertEquals("expected deviations (cloudhsm profile): 1", Report.deviations(o, TokenProfile.CLOUDHSM));
        assertTrue(Report.summary(o, Category.SPEC).startsWith("specification: passed 1, failed 0, skipped 0"), Report.summary(o, Category.SPEC));
        String md = Report.markdown("t", "m", 1, TokenProfile.CLOUDHSM, o);
        assertTrue(md.contains("- expected deviations (cloudhsm profile): 1"), md);
        assertTrue(md.contains("## Expected deviations (cloudhsm profile)"), md);
        assertTrue(md.contains("- `policy.x`: expected under the cloudhsm profile: C_X answers CKR_FUNCTION_NOT_SUPPORTED (pkcs11-apis.html)"), md);
        assertTrue(!Report.markdown("t", "m", 1, EXTRACTED_ONLY).contains("deviations"), "a pkcs11 run has no deviation lines");
    }

    @Test
    void theProfileIsPkcs11UnlessChosen() {
        assertEquals(TokenProfile.PKCS11, Options.parse(new String[] {"--module", "m.so", "--pin", "1234"}).profile());
        assertEquals(TokenProfile.CLOUDHSM,
                Options.parse(new String[] {"--module", "m.so", "--pin", "1234", "--profile", "cloudhsm"}).profile());
    }

    @Test
    void anUnknownProfileOrInitTokenUnderCloudHsmIsAUsageError() {
        assertEquals(2, Main.run(new String[] {"--module", "m.so", "--pin", "1234", "--profile", "luna"}));
        // CloudHSM's library has no C_InitToken: the suite refuses before it loads the module.
        assertEquals(2, Main.run(new String[] {"--module", "m.so", "--pin", "1234", "--so-pin", "5678", "--profile", "cloudhsm",
                "--init-token", "t"}));
    }

    @Test
    void strictIsAFlagWithoutValue() {
        Options o = Options.parse(new String[] {"--module", "m.so", "--strict", "--pin", "1234"});
        assertTrue(o.strict());
        assertEquals("1234", o.pin());
    }
}
