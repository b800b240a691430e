package io.jhsm.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.conformance.profile.CloudHsmDeviations;
import io.jhsm.conformance.profile.Deviation;
import io.jhsm.conformance.profile.Expectations;
import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Outcome.Status;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.target.InProcessTarget;
import io.jhsm.engine.profile.TokenProfile;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deviation counts as expected only when the module answers exactly what the profile documents: the runner
 * runs the deviation's probe in place of the rule, and a probe that does not hold is a failure naming the
 * documented behaviour. On a pkcs11-profile token (which follows the specification) every cloudhsm probe fails.
 */
class ExpectedDeviationTest {
    static InProcessTarget pkcs11Token;

    @BeforeAll
    static void open() {
        pkcs11Token = new InProcessTarget();
    }

    @AfterAll
    static void close() {
        pkcs11Token.close();
    }

    static Rule rule(String id) {
        return new Rule(id, "suite", "spec", "statement", ctx -> {
            throw new AssertionError("the rule itself ran");
        });
    }

    static Deviation deviation(String id, Rule.Check probe) {
        return new Deviation(id, "the vendor answers CKR_X", "page.html", "", probe);
    }

    @Test
    void aDeviationWhoseProbeHoldsIsExpectedNotFailed() {
        Expectations cloudhsm = Expectations.of(TokenProfile.CLOUDHSM, List.of(deviation("r", ctx -> { })));
        Outcome o = new Runner(pkcs11Token, 1, 1, null, cloudhsm).run(rule("r"));
        assertEquals(Status.DEVIATION, o.status(), o.detail());
        assertEquals("expected under the cloudhsm profile: the vendor answers CKR_X (page.html)", o.detail());
        assertEquals(0, Report.failures(List.of(o), true));
    }

    @Test
    void aDeviationWhoseProbeFailsIsAFailureNamingTheDocumentedBehaviour() {
        Expectations cloudhsm = Expectations.of(TokenProfile.CLOUDHSM, List.of(deviation("r", ctx -> {
            throw new AssertionError("C_X: expected CKR_X, got CKR_OK");
        })));
        Outcome o = new Runner(pkcs11Token, 1, 1, null, cloudhsm).run(rule("r"));
        assertEquals(Status.FAILED, o.status());
        assertTrue(o.detail().startsWith("the cloudhsm profile expects: the vendor answers CKR_X (page.html)\n"), o.detail());
        assertTrue(o.detail().contains("expected CKR_X, got CKR_OK"), o.detail());
    }

    @Test
    void underPkcs11TheRuleItselfRuns() {
        Outcome o = new Runner(pkcs11Token, 1, 1, null, Expectations.PKCS11).run(rule("r"));
        assertEquals(Status.FAILED, o.status());
        assertTrue(o.detail().contains("the rule itself ran"), o.detail());
    }

    @Test
    void everyDeviationNamesOneRuleOfTheSuiteAndWhereCloudHsmDocumentsIt() {
        Set<String> ids = Catalog.all().stream().map(Rule::id).collect(Collectors.toSet());
        Set<String> seen = new HashSet<>();
        for (Deviation d : CloudHsmDeviations.all()) {
            assertTrue(ids.contains(d.ruleId()), d.ruleId() + " is no rule of the suite");
            assertTrue(seen.add(d.ruleId()), d.ruleId() + " is listed twice");
            assertTrue(d.page().contains(".html"), d.ruleId() + ": the CloudHSM user guide page");
            assertTrue(d.behaviour().contains("CKR_"), d.ruleId() + ": the CK_RV CloudHSM answers");
        }
    }

    /** The probes can fail: a token that follows the specification fails every one of them. */
    @Test
    void aPkcs11TokenFailsEveryCloudHsmProbe() {
        Runner runner = new Runner(pkcs11Token, 1, 0.1, null, Expectations.of(TokenProfile.CLOUDHSM));
        for (Rule r : Catalog.all().stream().filter(r -> Expectations.of(TokenProfile.CLOUDHSM).deviation(r.id()).isPresent()).toList()) {
            Outcome o = runner.run(r);
            assertEquals(Status.FAILED, o.status(), r.id() + ": " + o.detail());
            assertTrue(o.detail().startsWith("the cloudhsm profile expects: "), o.detail());
        }
    }
}
