package io.jhsm.conformance;

import io.jhsm.conformance.target.InProcessTarget;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * jhsm's engine called directly must pass every specification rule (the C ABI rules are skipped: there is no
 * ABI here); extraction-resistance rules are only reported, as the default token follows plain PKCS#11.
 */
class InProcessConformanceTest extends ConformanceTestBase {
    static InProcessTarget target;

    @BeforeAll
    static void open() {
        target = new InProcessTarget();
    }

    @AfterAll
    static void close() throws Exception {
        writeReport(target, "jhsm-in-process.md");
        target.close();
    }

    @TestFactory
    Stream<DynamicTest> everySpecRule() {
        return run(target, ConformanceTestBase::specRulesHold);
    }
}
