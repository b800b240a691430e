package io.jhsm.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.conformance.profile.CloudHsmDeviations;
import io.jhsm.conformance.profile.Deviation;
import io.jhsm.conformance.profile.Expectations;
import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Outcome.Status;
import io.jhsm.conformance.target.InProcessTarget;
import io.jhsm.engine.profile.TokenProfile;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The engine with a cloudhsm-profile token, run with {@code --profile cloudhsm}'s expectations: no specification
 * rule fails, and every rule CloudHSM documents differently gives exactly CloudHSM's answer (an expected deviation,
 * or a skip when SDK 5 lacks what the probe needs).
 */
class CloudHsmProfileConformanceTest extends ConformanceTestBase {
    static final Set<String> DEVIATING = CloudHsmDeviations.all().stream().map(Deviation::ruleId).collect(Collectors.toSet());
    static InProcessTarget target;

    @BeforeAll
    static void open() {
        target = new InProcessTarget(TokenProfile.CLOUDHSM);
    }

    @AfterAll
    static void close() throws Exception {
        writeReport(target, "jhsm-in-process-cloudhsm.md", TokenProfile.CLOUDHSM);
        target.close();
    }

    @TestFactory
    Stream<DynamicTest> everySpecRuleOrItsDocumentedDeviation() {
        return run(target, Expectations.of(TokenProfile.CLOUDHSM), CloudHsmProfileConformanceTest::asCloudHsmDocuments, r -> true);
    }

    static void asCloudHsmDocuments(Outcome o) {
        specRulesHold(o);
        if (DEVIATING.contains(o.rule().id()) && o.status() != Status.SKIPPED) {
            assertEquals(Status.DEVIATION, o.status(), o.rule().id() + ": " + o.detail());
        }
    }
}
